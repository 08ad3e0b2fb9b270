//! Drives a kernel over loopback TCP with real ZeroMQ sockets, as a client would.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use bytes::Bytes;
use faisca_wire::{
    Codec, Completion, ConnectionInfo, ExecuteContext, ExecutionError, Interpreter, IsComplete,
    Kernel, KernelInfo, Message, MimeBundle, StreamName, bundle,
};
use serde_json::{Value, json};
use zeromq::{DealerSocket, ReqSocket, Socket, SocketRecv, SocketSend, SubSocket, ZmqMessage};

/// A toy language: `x = 3` stores, `x` shows, `print …` streams, `fail` errors, `sleep`
/// waits for an interrupt, `panic` panics.
#[derive(Default)]
struct Toy {
    vars: HashMap<String, String>,
}

impl Interpreter for Toy {
    fn kernel_info(&self) -> KernelInfo {
        KernelInfo {
            implementation: "toy".into(),
            implementation_version: "0".into(),
            language_info: json!({"name": "toy", "version": "0", "mimetype": "text/plain", "file_extension": ".toy"}),
            banner: "toy".into(),
            help_links: json!([]),
        }
    }

    fn execute(
        &mut self,
        code: &str,
        ctx: &mut ExecuteContext<'_>,
    ) -> Result<Option<MimeBundle>, ExecutionError> {
        let code = code.trim();
        if let Some(text) = code.strip_prefix("help ") {
            ctx.output
                .page(bundle([("text/plain", format!("help on {text}"))]));
            return Ok(None);
        }
        if let Some(text) = code.strip_prefix("print ") {
            ctx.output.stream(StreamName::Stdout, &format!("{text}\n"));
            return Ok(None);
        }
        if let Some((name, value)) = code.split_once(" = ") {
            self.vars.insert(name.into(), value.into());
            return Ok(None);
        }
        match code {
            "fail" => Err(ExecutionError {
                ename: "ToyError".into(),
                evalue: "asked to fail".into(),
                traceback: vec!["ToyError: asked to fail".into()],
            }),
            "sleep" => {
                let start = Instant::now();
                while start.elapsed() < Duration::from_secs(30) {
                    if ctx.cancel.is_cancelled() {
                        return Err(ExecutionError::interrupted());
                    }
                    std::thread::sleep(Duration::from_millis(5));
                }
                Ok(None)
            }
            "panic" => panic!("toy panic"),
            "" => Ok(None),
            name => match self.vars.get(name) {
                Some(value) => Ok(Some(bundle([("text/plain", value.clone())]))),
                None => Err(ExecutionError {
                    ename: "NameError".into(),
                    evalue: format!("{name} is not defined"),
                    traceback: vec![],
                }),
            },
        }
    }

    fn complete(&mut self, code: &str, cursor_pos: usize) -> Completion {
        let matches = self
            .vars
            .keys()
            .filter(|k| k.starts_with(code))
            .cloned()
            .collect();
        Completion {
            matches,
            cursor_start: 0,
            cursor_end: cursor_pos,
        }
    }

    fn inspect(&mut self, code: &str, _: usize, _: u8) -> Option<MimeBundle> {
        self.vars
            .get(code.trim())
            .map(|v| bundle([("text/plain", v.clone())]))
    }

    fn is_complete(&mut self, code: &str) -> IsComplete {
        if code.ends_with('(') {
            IsComplete::Incomplete("    ".into())
        } else {
            IsComplete::Complete
        }
    }
}

const KEY: &str = "protocol-test-key";

fn free_ports() -> Vec<u16> {
    let listeners: Vec<_> = (0..5)
        .map(|_| std::net::TcpListener::bind("127.0.0.1:0").unwrap())
        .collect();
    listeners
        .iter()
        .map(|l| l.local_addr().unwrap().port())
        .collect()
}

struct Client {
    codec: Codec,
    shell: DealerSocket,
    control: DealerSocket,
    iopub: SubSocket,
    heartbeat: ReqSocket,
    kernel: tokio::task::JoinHandle<faisca_wire::KernelHandle>,
    conn: ConnectionInfo,
}

impl Client {
    async fn start() -> Client {
        let p = free_ports();
        let conn = ConnectionInfo::from_json(
            &json!({
                "transport": "tcp", "ip": "127.0.0.1", "shell_port": p[0], "iopub_port": p[1],
                "stdin_port": p[2], "control_port": p[3], "hb_port": p[4], "key": KEY,
                "signature_scheme": "hmac-sha256", "kernel_name": "toy"
            })
            .to_string(),
        )
        .unwrap();
        let kernel = Kernel::bind(&conn, Default::default()).await.unwrap();
        let kernel = tokio::spawn(kernel.run(Box::new(Toy::default())));
        let mut shell = DealerSocket::new();
        shell
            .connect(&conn.endpoint(conn.shell_port))
            .await
            .unwrap();
        let mut control = DealerSocket::new();
        control
            .connect(&conn.endpoint(conn.control_port))
            .await
            .unwrap();
        let mut iopub = SubSocket::new();
        iopub.subscribe("").await.unwrap();
        iopub
            .connect(&conn.endpoint(conn.iopub_port))
            .await
            .unwrap();
        let mut heartbeat = ReqSocket::new();
        heartbeat
            .connect(&conn.endpoint(conn.hb_port))
            .await
            .unwrap();
        // Let the subscription reach the publisher (ZeroMQ's slow joiner).
        tokio::time::sleep(Duration::from_millis(200)).await;
        Client {
            codec: Codec::new(KEY),
            shell,
            control,
            iopub,
            heartbeat,
            kernel,
            conn,
        }
    }

    fn frames(&self, msg_type: &str, content: Value) -> Vec<Bytes> {
        let message = Message {
            identities: vec![],
            header: self.codec.header(msg_type),
            parent_header: json!({}),
            metadata: json!({}),
            content,
            buffers: vec![],
        };
        self.codec.encode(&message)
    }

    async fn send_raw(&mut self, frames: Vec<Bytes>) {
        self.shell
            .send(ZmqMessage::try_from(frames).unwrap())
            .await
            .unwrap();
    }

    async fn request(&mut self, msg_type: &str, content: Value) -> String {
        let frames = self.frames(msg_type, content);
        let id = Codec::new("")
            .decode(frames.clone())
            .unwrap()
            .msg_id()
            .to_string();
        self.send_raw(frames).await;
        id
    }

    async fn shell_reply(&mut self, within: Duration) -> Option<Message> {
        let frames = tokio::time::timeout(within, self.shell.recv())
            .await
            .ok()?
            .unwrap();
        Some(Codec::new(KEY).decode(frames.into_vec()).unwrap())
    }

    async fn control_request(&mut self, msg_type: &str, content: Value) -> Message {
        let frames = self.frames(msg_type, content);
        self.control
            .send(ZmqMessage::try_from(frames).unwrap())
            .await
            .unwrap();
        let frames = tokio::time::timeout(Duration::from_secs(5), self.control.recv())
            .await
            .expect("control reply")
            .unwrap();
        Codec::new(KEY).decode(frames.into_vec()).unwrap()
    }

    /// IOPub messages parented to `msg_id`, up to and including its `idle`.
    async fn iopub_until_idle(&mut self, msg_id: &str) -> Vec<Message> {
        let mut seen = Vec::new();
        loop {
            let frames = tokio::time::timeout(Duration::from_secs(5), self.iopub.recv())
                .await
                .expect("iopub message")
                .unwrap();
            let message = Codec::new(KEY).decode(frames.into_vec()).unwrap();
            if message.parent_header["msg_id"] != msg_id {
                continue;
            }
            let idle =
                message.msg_type() == "status" && message.content["execution_state"] == "idle";
            seen.push(message);
            if idle {
                return seen;
            }
        }
    }

    async fn execute(&mut self, code: &str) -> (Message, Vec<Message>) {
        let id = self
            .request("execute_request", json!({"code": code, "silent": false}))
            .await;
        let reply = self
            .shell_reply(Duration::from_secs(5))
            .await
            .expect("execute_reply");
        let outputs = self.iopub_until_idle(&id).await;
        (reply, outputs)
    }
}

/// A ZMTP 3.0 greeting offering the NULL mechanism, as any peer without the key can send.
fn null_greeting() -> Vec<u8> {
    let mut greeting = vec![0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0x7f, 3, 0];
    greeting.extend_from_slice(b"NULL");
    greeting.resize(64, 0);
    greeting
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_frame_declaring_a_terabyte_drops_that_peer_not_the_kernel() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut client = Client::start().await;
    let conn = client.conn.clone();
    let ports = [
        conn.shell_port,
        conn.control_port,
        conn.stdin_port,
        conn.iopub_port,
        conn.hb_port,
    ];
    // A long message frame, then a long command frame, each declaring 2^40 bytes.
    for header in [
        [0x02, 0, 0, 1, 0, 0, 0, 0, 0],
        [0x06, 0, 0, 1, 0, 0, 0, 0, 0],
    ] {
        for port in ports {
            let mut peer = tokio::net::TcpStream::connect(("127.0.0.1", port))
                .await
                .unwrap();
            peer.write_all(&null_greeting()).await.unwrap();
            peer.write_all(&header).await.unwrap();
            // The kernel hangs up on this peer (or it reads our greeting back first).
            let mut sink = vec![0; 4096];
            let closed = tokio::time::timeout(Duration::from_secs(5), async {
                loop {
                    match peer.read(&mut sink).await {
                        Ok(0) | Err(_) => break,
                        Ok(_) => {}
                    }
                }
            })
            .await;
            assert!(
                closed.is_ok(),
                "port {port}: the hostile peer was not dropped"
            );
        }
    }
    // Every channel still serves its honest clients.
    let (reply, _) = client.execute("x = 42").await;
    assert_eq!(reply.content["status"], "ok");
    client
        .heartbeat
        .send(ZmqMessage::from("ping"))
        .await
        .unwrap();
    let echo = tokio::time::timeout(Duration::from_secs(5), client.heartbeat.recv())
        .await
        .expect("heartbeat echo")
        .unwrap();
    assert_eq!(echo.get(0).unwrap().as_ref(), b"ping");
    let info = client
        .control_request("kernel_info_request", json!({}))
        .await;
    assert_eq!(info.msg_type(), "kernel_info_reply");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_lone_surrogate_in_a_signed_cell_gets_an_error_reply() {
    let mut client = Client::start().await;
    let mut frames = client.frames("execute_request", json!({"code": "x", "silent": false}));
    let id = Codec::new("")
        .decode(frames.clone())
        .unwrap()
        .msg_id()
        .to_string();
    // Content that Python's json accepts but no Unicode text can hold; signed correctly.
    let content = Bytes::from_static(br#"{"code": "\ud800", "silent": false}"#);
    let n = frames.len();
    let signed: Vec<&[u8]> = frames[n - 4..n - 1].iter().map(|f| f.as_ref()).collect();
    let signature =
        faisca_wire::signing::Signer::new(KEY).sign(&[signed[0], signed[1], signed[2], &content]);
    frames[n - 5] = Bytes::from(signature);
    frames[n - 1] = content;
    client.send_raw(frames).await;
    let reply = client
        .shell_reply(Duration::from_secs(5))
        .await
        .expect("an execute_reply, not silence");
    assert_eq!(reply.msg_type(), "execute_reply");
    assert_eq!(reply.content["status"], "error");
    assert_eq!(reply.content["ename"], "ValueError");
    let evalue = reply.content["evalue"].as_str().unwrap();
    assert!(evalue.contains("surrogate"), "{evalue}");
    let outputs = client.iopub_until_idle(&id).await;
    assert!(types(&outputs).contains(&"error".to_string()));
    // The session carries on.
    let (reply, _) = client.execute("x = 42").await;
    assert_eq!(reply.content["status"], "ok");
}

fn types(messages: &[Message]) -> Vec<String> {
    messages.iter().map(|m| m.msg_type().to_string()).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn execute_publishes_in_order_and_counts() {
    let mut c = Client::start().await;
    let (reply, outputs) = c.execute("print hello").await;
    assert_eq!(reply.content["status"], "ok");
    assert_eq!(reply.content["execution_count"], 1);
    assert_eq!(
        types(&outputs),
        ["status", "execute_input", "stream", "status"]
    );
    assert_eq!(outputs[0].content["execution_state"], "busy");
    assert_eq!(outputs[2].content["text"], "hello\n");

    c.execute("x = 42").await;
    let (reply, outputs) = c.execute("x").await;
    assert_eq!(reply.content["execution_count"], 3);
    assert_eq!(
        types(&outputs),
        ["status", "execute_input", "execute_result", "status"]
    );
    assert_eq!(outputs[2].content["data"]["text/plain"], "42");
    assert_eq!(outputs[2].parent_header["msg_type"], "execute_request");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_and_store_history_are_honoured() {
    let mut c = Client::start().await;
    let id = c
        .request("execute_request", json!({"code": "x = 1", "silent": true}))
        .await;
    let reply = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(reply.content["execution_count"], 0);
    assert!(!types(&c.iopub_until_idle(&id).await).contains(&"execute_input".to_string()));
    let id = c
        .request(
            "execute_request",
            json!({"code": "x", "store_history": false}),
        )
        .await;
    let reply = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(reply.content["execution_count"], 0);
    c.iopub_until_idle(&id).await;
    c.execute("x = 2").await;
    let (reply, _) = c.execute("help x").await;
    assert_eq!(reply.content["payload"][0]["source"], "page");
    assert_eq!(
        reply.content["payload"][0]["data"]["text/plain"],
        "help on x"
    );
    c.request(
        "history_request",
        json!({"hist_access_type": "tail", "n": 10, "output": false, "raw": true}),
    )
    .await;
    let history = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        history.content["history"],
        json!([[0, 1, "x = 2"], [0, 2, "help x"]])
    );
    c.execute("x = 3").await;
    c.execute("x = 2").await;
    let search = json!({"hist_access_type": "search", "pattern": "x = *", "unique": true, "output": false, "raw": true});
    c.request("history_request", search).await;
    let found = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(
        found.content["history"],
        json!([[0, 3, "x = 3"], [0, 4, "x = 2"]])
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn errors_reach_iopub_and_reply_and_abort_queued_cells() {
    let mut c = Client::start().await;
    let fail = c.frames("execute_request", json!({"code": "fail"}));
    let queued = c.frames("execute_request", json!({"code": "print never"}));
    c.send_raw(fail).await;
    c.send_raw(queued).await;
    let reply = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(reply.content["status"], "error");
    assert_eq!(reply.content["ename"], "ToyError");
    assert_eq!(reply.content["traceback"][0], "ToyError: asked to fail");
    let aborted = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(aborted.content["status"], "aborted");

    let fail = c.frames(
        "execute_request",
        json!({"code": "fail", "stop_on_error": false}),
    );
    let next = c.frames("execute_request", json!({"code": "print runs"}));
    c.send_raw(fail).await;
    c.send_raw(next).await;
    assert_eq!(
        c.shell_reply(Duration::from_secs(5)).await.unwrap().content["status"],
        "error"
    );
    assert_eq!(
        c.shell_reply(Duration::from_secs(5)).await.unwrap().content["status"],
        "ok"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_messages_get_no_reply_and_the_kernel_keeps_serving() {
    let mut c = Client::start().await;
    // Forged: signed with another key.
    let forged = Codec::new("wrong-key").encode(&Message {
        identities: vec![],
        header: c.codec.header("kernel_info_request"),
        parent_header: json!({}),
        metadata: json!({}),
        content: json!({}),
        buffers: vec![],
    });
    c.send_raw(forged).await;
    assert!(
        c.shell_reply(Duration::from_millis(300)).await.is_none(),
        "forged answered"
    );

    // Replayed: the second copy of a good message.
    let good = c.frames("kernel_info_request", json!({}));
    c.send_raw(good.clone()).await;
    assert!(c.shell_reply(Duration::from_secs(5)).await.is_some());
    c.send_raw(good).await;
    assert!(
        c.shell_reply(Duration::from_millis(300)).await.is_none(),
        "replay answered"
    );

    // Truncated: header and content missing.
    let mut truncated = c.frames("kernel_info_request", json!({}));
    truncated.truncate(3);
    c.send_raw(truncated).await;
    assert!(
        c.shell_reply(Duration::from_millis(300)).await.is_none(),
        "truncated answered"
    );

    // Validly signed frames that are not JSON.
    let signer = faisca_wire::signing::Signer::new(KEY);
    let junk: [&[u8]; 4] = [b"{not json", b"{}", b"{}", b"{}"];
    let frames = vec![
        Bytes::from_static(b"<IDS|MSG>"),
        Bytes::from(signer.sign(&junk)),
        Bytes::from_static(b"{not json"),
        Bytes::from_static(b"{}"),
        Bytes::from_static(b"{}"),
        Bytes::from_static(b"{}"),
    ];
    c.send_raw(frames).await;
    assert!(
        c.shell_reply(Duration::from_millis(300)).await.is_none(),
        "non-JSON answered"
    );

    c.request("kernel_info_request", json!({})).await;
    let info = c
        .shell_reply(Duration::from_secs(5))
        .await
        .expect("still serving");
    assert_eq!(info.content["protocol_version"], "5.3");
    assert_eq!(info.content["language_info"]["name"], "toy");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn interrupt_stops_a_running_cell_and_keeps_state() {
    let mut c = Client::start().await;
    c.execute("x = kept").await;
    c.request("execute_request", json!({"code": "sleep"})).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    // Heartbeat and control answer while the cell runs.
    c.heartbeat.send(ZmqMessage::from("ping")).await.unwrap();
    let pong = tokio::time::timeout(Duration::from_secs(1), c.heartbeat.recv()).await;
    assert_eq!(pong.unwrap().unwrap().into_vec()[0].as_ref(), b"ping");
    let info = c.control_request("kernel_info_request", json!({})).await;
    assert_eq!(info.msg_type(), "kernel_info_reply");

    let start = Instant::now();
    let interrupt = c.control_request("interrupt_request", json!({})).await;
    assert_eq!(interrupt.content["status"], "ok");
    let reply = c
        .shell_reply(Duration::from_secs(1))
        .await
        .expect("cell returned within 1 s");
    assert!(start.elapsed() < Duration::from_secs(1));
    assert_eq!(reply.content["status"], "error");
    assert_eq!(reply.content["ename"], "KeyboardInterrupt");

    let (reply, outputs) = c.execute("x").await;
    assert_eq!(reply.content["status"], "ok");
    let result = outputs
        .iter()
        .find(|m| m.msg_type() == "execute_result")
        .unwrap();
    assert_eq!(result.content["data"]["text/plain"], "kept");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panicking_cell_is_an_error_not_a_dead_kernel() {
    let mut c = Client::start().await;
    c.execute("x = 7").await;
    let (reply, _) = c.execute("panic").await;
    assert_eq!(reply.content["status"], "error");
    assert!(
        reply.content["evalue"]
            .as_str()
            .unwrap()
            .contains("toy panic")
    );
    let (reply, _) = c.execute("x").await;
    assert_eq!(reply.content["status"], "ok");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn completion_inspection_and_shutdown() {
    let mut c = Client::start().await;
    c.execute("value = 1").await;
    c.request("complete_request", json!({"code": "va", "cursor_pos": 2}))
        .await;
    let reply = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(reply.content["matches"], json!(["value"]));
    assert_eq!(reply.content["cursor_end"], 2);
    c.request(
        "inspect_request",
        json!({"code": "value", "cursor_pos": 2, "detail_level": 0}),
    )
    .await;
    let reply = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(reply.content["found"], true);
    c.request("is_complete_request", json!({"code": "f("}))
        .await;
    let reply = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(reply.content["status"], "incomplete");
    c.request("comm_info_request", json!({})).await;
    let reply = c.shell_reply(Duration::from_secs(5)).await.unwrap();
    assert_eq!(reply.content["comms"], json!({}));

    let reply = c
        .control_request("shutdown_request", json!({"restart": true}))
        .await;
    assert_eq!(reply.content["restart"], true);
    let ended = tokio::time::timeout(Duration::from_secs(5), c.kernel).await;
    assert!(ended.unwrap().unwrap().restart);
}

#[test]
fn fuzz_seeds_decode_or_fail_cleanly() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds");
    for entry in std::fs::read_dir(root.join("wire_decode")).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let frames: Vec<Bytes> = data
            .split(|b| *b == 0xFF)
            .map(|f| {
                if f == b"D" {
                    Bytes::from_static(b"<IDS|MSG>")
                } else {
                    Bytes::copy_from_slice(f)
                }
            })
            .collect();
        let _ = Codec::new("").decode(frames.clone());
        let _ = Codec::new("fuzz-key").decode(frames);
    }
    for entry in std::fs::read_dir(root.join("connection_file")).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(ConnectionInfo::from_json(&text).is_ok(), "{text}");
    }
}
