//! A blocking Spark Connect session: the kernel's engine calls it from its job thread,
//! so it owns a small runtime and waits on each call, polling for interrupts while a
//! query streams.

use std::time::Duration;

use prost::Message;
use tonic::metadata::MetadataValue;
use tonic::transport::{Channel, ClientTlsConfig, Endpoint as ChannelEndpoint};
use tonic::{Code, Request, Status};

use crate::proto::analyze_plan_request::{Analyze, Explain, Schema, SparkVersion};
use crate::proto::analyze_plan_response::Result as Analyzed;
use crate::proto::execute_plan_request::RequestOption;
use crate::proto::execute_plan_request::request_option::RequestOption as Option_;
use crate::proto::execute_plan_response::ResponseType;
use crate::proto::interrupt_request::{Interrupt, InterruptType};
use crate::proto::release_execute_request::{Release, ReleaseAll};
use crate::proto::spark_connect_service_client::SparkConnectServiceClient;
use crate::proto::{self, Plan, UserContext};
use crate::url::Endpoint;

/// How long a connection may take before the cell gets an error.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How often a streaming query checks for an interrupt.
const POLL: Duration = Duration::from_millis(100);
/// How many times a broken result stream is reattached before giving up.
const REATTACH_TRIES: usize = 3;

/// A server or transport error, with the exception class PySpark would raise.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{class}: {message}")]
pub struct ConnectError {
    /// `AnalysisException`, `ParseException`, `SparkConnectGrpcException`, …
    pub class: String,
    /// The server's message (with Spark's error class in brackets, as Spark prints it).
    pub message: String,
}

impl ConnectError {
    fn new(class: &str, message: impl Into<String>) -> ConnectError {
        ConnectError {
            class: class.to_string(),
            message: message.into(),
        }
    }

    /// The query was interrupted by the user.
    pub fn is_interrupt(&self) -> bool {
        self.class == "KeyboardInterrupt"
    }
}

/// What an `ExecutePlan` returned.
#[derive(Debug, Default)]
pub struct Executed {
    /// The server's id for the operation (shown on the jobs page).
    pub operation_id: String,
    /// Arrow IPC streams, one per batch, in order.
    pub batches: Vec<Vec<u8>>,
    /// For a `SqlCommand`: the relation that reads its result.
    pub sql_relation: Option<proto::Relation>,
}

/// One Spark Connect session on one server.
pub struct Session {
    runtime: tokio::runtime::Runtime,
    client: SparkConnectServiceClient<Channel>,
    endpoint: Endpoint,
    session_id: String,
}

impl Session {
    /// Connects and checks the server answers (its Spark version).
    pub fn connect(endpoint: Endpoint) -> Result<(Session, String), ConnectError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .map_err(|e| ConnectError::new("SparkConnectGrpcException", e.to_string()))?;
        let address = endpoint.address();
        let channel = runtime.block_on(async {
            let mut channel = ChannelEndpoint::from_shared(address.clone())
                .map_err(|e| ConnectError::new("ValueError", e.to_string()))?;
            if endpoint.use_ssl {
                // The system's roots (SSL_CERT_FILE / SSL_CERT_DIR name others), as
                // PySpark's grpc channel trusts them.
                channel = channel
                    .tls_config(ClientTlsConfig::new().with_native_roots())
                    .map_err(|e| ConnectError::new("SparkConnectGrpcException", e.to_string()))?;
            }
            channel
                .connect_timeout(CONNECT_TIMEOUT)
                .tcp_nodelay(true)
                .connect()
                .await
                .map_err(|e| {
                    // tonic's message is "transport error"; the cause is in its sources.
                    let mut why = e.to_string();
                    let mut source = std::error::Error::source(&e);
                    while let Some(cause) = source {
                        why.push_str(&format!(": {cause}"));
                        source = cause.source();
                    }
                    ConnectError::new(
                        "SparkConnectGrpcException",
                        format!("cannot reach the Spark Connect server at {endpoint}: {why}"),
                    )
                })
        })?;
        let client = SparkConnectServiceClient::new(channel)
            .max_decoding_message_size(usize::MAX)
            .max_encoding_message_size(usize::MAX);
        let session_id = endpoint
            .session_id
            .clone()
            .unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        let session = Session {
            runtime,
            client,
            endpoint,
            session_id,
        };
        let version = session.spark_version()?;
        Ok((session, version))
    }

    /// The server's URL (without the token).
    pub fn endpoint(&self) -> &Endpoint {
        &self.endpoint
    }

    /// The session id the server knows this session by.
    pub fn session_id(&self) -> &str {
        &self.session_id
    }

    fn user(&self) -> Option<UserContext> {
        Some(UserContext {
            user_id: self.endpoint.user_id.clone(),
            user_name: self.endpoint.user_id.clone(),
            extensions: Vec::new(),
        })
    }

    fn client_type(&self) -> Option<String> {
        Some(format!(
            "{} faisca/{}",
            self.endpoint.user_agent,
            env!("CARGO_PKG_VERSION")
        ))
    }

    fn request<T>(&self, message: T) -> Request<T> {
        let mut request = Request::new(message);
        if let Some(token) = &self.endpoint.token
            && let Ok(value) = MetadataValue::try_from(format!("Bearer {token}"))
        {
            request.metadata_mut().insert("authorization", value);
        }
        request
    }

    fn analyze(&self, analyze: Analyze) -> Result<Analyzed, ConnectError> {
        let message = proto::AnalyzePlanRequest {
            session_id: self.session_id.clone(),
            user_context: self.user(),
            client_type: self.client_type(),
            analyze: Some(analyze),
            ..Default::default()
        };
        let request = self.request(message);
        let mut client = self.client.clone();
        let response = self
            .runtime
            .block_on(client.analyze_plan(request))
            .map_err(from_status)?;
        response.into_inner().result.ok_or_else(|| {
            ConnectError::new("SparkConnectGrpcException", "empty AnalyzePlan answer")
        })
    }

    /// The server's Spark version.
    pub fn spark_version(&self) -> Result<String, ConnectError> {
        match self.analyze(Analyze::SparkVersion(SparkVersion {}))? {
            Analyzed::SparkVersion(v) => Ok(v.version),
            _ => Err(unexpected("SparkVersion")),
        }
    }

    /// The analysed schema of `plan` (analysis errors surface here, as in Spark).
    pub fn schema(&self, plan: Plan) -> Result<proto::DataType, ConnectError> {
        match self.analyze(Analyze::Schema(Schema { plan: Some(plan) }))? {
            Analyzed::Schema(s) => s
                .schema
                .ok_or_else(|| ConnectError::new("SparkConnectGrpcException", "no schema")),
            _ => Err(unexpected("Schema")),
        }
    }

    /// `explain()`: the server's plan text; `mode` is Spark's explain mode number.
    pub fn explain(&self, plan: Plan, mode: i32) -> Result<String, ConnectError> {
        let explain = Explain {
            plan: Some(plan),
            explain_mode: mode,
        };
        match self.analyze(Analyze::Explain(explain))? {
            Analyzed::Explain(e) => Ok(e.explain_string),
            _ => Err(unexpected("Explain")),
        }
    }

    /// Sets session configuration on the server.
    pub fn set_conf(&self, pairs: &[(String, String)]) -> Result<(), ConnectError> {
        use proto::config_request::{Operation, Set, operation::OpType};
        let message = proto::ConfigRequest {
            session_id: self.session_id.clone(),
            user_context: self.user(),
            client_type: self.client_type(),
            operation: Some(Operation {
                op_type: Some(OpType::Set(Set {
                    pairs: pairs
                        .iter()
                        .map(|(k, v)| proto::KeyValue {
                            key: k.clone(),
                            value: Some(v.clone()),
                        })
                        .collect(),
                    silent: None,
                })),
            }),
            ..Default::default()
        };
        let request = self.request(message);
        let mut client = self.client.clone();
        self.runtime
            .block_on(client.config(request))
            .map_err(from_status)?;
        Ok(())
    }

    /// A new operation id (the client names each operation, so a job can show its id
    /// before the server answers).
    pub fn operation_id() -> String {
        uuid::Uuid::new_v4().to_string()
    }

    /// Runs `plan` as operation `operation_id`, collecting its Arrow batches; `cancelled`
    /// is polled while it streams and, once true, interrupts the operation on the server.
    pub fn execute(
        &self,
        operation_id: String,
        plan: Plan,
        cancelled: &dyn Fn() -> bool,
    ) -> Result<Executed, ConnectError> {
        let message = proto::ExecutePlanRequest {
            session_id: self.session_id.clone(),
            user_context: self.user(),
            operation_id: Some(operation_id.clone()),
            plan: Some(plan),
            client_type: self.client_type(),
            request_options: vec![RequestOption {
                request_option: Some(Option_::ReattachOptions(proto::ReattachOptions {
                    reattachable: true,
                })),
            }],
            ..Default::default()
        };
        let mut executed = Executed {
            operation_id: operation_id.clone(),
            ..Default::default()
        };
        let runtime = &self.runtime;
        let outcome = runtime.block_on(async {
            let mut client = self.client.clone();
            let mut stream = client
                .execute_plan(self.request(message))
                .await
                .map_err(from_status)?
                .into_inner();
            let mut last_response: Option<String> = None;
            let mut tries = 0;
            loop {
                let next = tokio::select! {
                    next = stream.message() => next,
                    _ = tokio::time::sleep(POLL) => {
                        if cancelled() {
                            self.interrupt_async(&operation_id).await;
                            return Err(ConnectError::new("KeyboardInterrupt", "interrupted"));
                        }
                        continue;
                    }
                };
                match next {
                    Ok(Some(response)) => {
                        last_response = Some(response.response_id.clone());
                        match response.response_type {
                            Some(ResponseType::ArrowBatch(batch)) => {
                                executed.batches.push(batch.data)
                            }
                            Some(ResponseType::SqlCommandResult(r)) => {
                                executed.sql_relation = r.relation
                            }
                            Some(ResponseType::ResultComplete(_)) => return Ok(()),
                            _ => {}
                        }
                    }
                    // The stream ended without ResultComplete, or broke: reattach.
                    Ok(None) | Err(_) if tries < REATTACH_TRIES => {
                        if let Err(status) = &next
                            && is_server_error(status)
                        {
                            return Err(from_status(status.clone()));
                        }
                        tries += 1;
                        tokio::time::sleep(Duration::from_millis(200 * tries as u64)).await;
                        let reattach = proto::ReattachExecuteRequest {
                            session_id: self.session_id.clone(),
                            user_context: self.user(),
                            operation_id: operation_id.clone(),
                            client_type: self.client_type(),
                            last_response_id: last_response.clone(),
                            ..Default::default()
                        };
                        match client.reattach_execute(self.request(reattach)).await {
                            Ok(s) => stream = s.into_inner(),
                            Err(status) if tries >= REATTACH_TRIES => {
                                return Err(from_status(status));
                            }
                            Err(_) => {}
                        }
                    }
                    Ok(None) => {
                        return Err(ConnectError::new(
                            "SparkConnectGrpcException",
                            "the server closed the result stream before the result was complete",
                        ));
                    }
                    Err(status) => return Err(from_status(status)),
                }
            }
        });
        outcome?;
        self.release(&operation_id);
        Ok(executed)
    }

    /// Frees the server's buffered responses of a finished operation.
    fn release(&self, operation_id: &str) {
        let message = proto::ReleaseExecuteRequest {
            session_id: self.session_id.clone(),
            user_context: self.user(),
            operation_id: operation_id.to_string(),
            client_type: self.client_type(),
            release: Some(Release::ReleaseAll(ReleaseAll {})),
            ..Default::default()
        };
        let request = self.request(message);
        let mut client = self.client.clone();
        if let Err(e) = self.runtime.block_on(client.release_execute(request)) {
            tracing::debug!("ReleaseExecute {operation_id}: {e}");
        }
    }

    async fn interrupt_async(&self, operation_id: &str) {
        let message = proto::InterruptRequest {
            session_id: self.session_id.clone(),
            user_context: self.user(),
            client_type: self.client_type(),
            interrupt_type: InterruptType::OperationId as i32,
            interrupt: Some(Interrupt::OperationId(operation_id.to_string())),
            ..Default::default()
        };
        let mut client = self.client.clone();
        let call = client.interrupt(self.request(message));
        match tokio::time::timeout(Duration::from_secs(5), call).await {
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!("Interrupt {operation_id}: {e}"),
            Err(_) => tracing::warn!("Interrupt {operation_id}: no answer in 5 s"),
        }
    }
}

fn unexpected(what: &str) -> ConnectError {
    ConnectError::new(
        "SparkConnectGrpcException",
        format!("the server answered a {what} request with something else"),
    )
}

/// `google.rpc.Status`, as gRPC carries it in `grpc-status-details-bin`.
#[derive(Clone, PartialEq, Message)]
struct RpcStatus {
    #[prost(int32, tag = "1")]
    code: i32,
    #[prost(string, tag = "2")]
    message: String,
    #[prost(message, repeated, tag = "3")]
    details: Vec<prost_types::Any>,
}

/// `google.rpc.ErrorInfo`: Spark puts its exception class in `reason` and its class
/// hierarchy, as JSON, in `metadata["classes"]`.
#[derive(Clone, PartialEq, Message)]
struct ErrorInfo {
    #[prost(string, tag = "1")]
    reason: String,
    #[prost(string, tag = "2")]
    domain: String,
    #[prost(map = "string, string", tag = "3")]
    metadata: std::collections::HashMap<String, String>,
}

fn error_info(status: &Status) -> Option<ErrorInfo> {
    let details = RpcStatus::decode(status.details()).ok()?;
    details
        .details
        .iter()
        .find(|d| d.type_url.ends_with("google.rpc.ErrorInfo"))
        .and_then(|d| ErrorInfo::decode(d.value.as_slice()).ok())
}

/// An error the server raised (rather than a broken connection).
fn is_server_error(status: &Status) -> bool {
    error_info(status).is_some()
        || !matches!(
            status.code(),
            Code::Unavailable | Code::Unknown | Code::Internal
        )
}

/// PySpark's exception class for a server error: the first of Spark's classes PySpark
/// has its own exception for, else the JVM class's simple name.
fn from_status(status: Status) -> ConnectError {
    const PYSPARK: [(&str, &str); 7] = [
        (
            "org.apache.spark.sql.catalyst.parser.ParseException",
            "ParseException",
        ),
        (
            "org.apache.spark.sql.AnalysisException",
            "AnalysisException",
        ),
        (
            "org.apache.spark.sql.streaming.StreamingQueryException",
            "StreamingQueryException",
        ),
        (
            "java.lang.IllegalArgumentException",
            "IllegalArgumentException",
        ),
        ("java.lang.ArithmeticException", "ArithmeticException"),
        ("java.lang.NumberFormatException", "NumberFormatException"),
        (
            "org.apache.spark.SparkRuntimeException",
            "SparkRuntimeException",
        ),
    ];
    let message = status.message().to_string();
    let Some(info) = error_info(&status) else {
        let class = if status.code() == Code::Cancelled {
            "KeyboardInterrupt"
        } else {
            "SparkConnectGrpcException"
        };
        return ConnectError::new(class, format!("{message} ({:?})", status.code()));
    };
    let mut classes = vec![info.reason.clone()];
    if let Some(json) = info.metadata.get("classes") {
        classes.extend(
            json.trim_matches(|c| c == '[' || c == ']')
                .split(',')
                .map(|c| c.trim().trim_matches('"').to_string()),
        );
    }
    let class = PYSPARK
        .iter()
        .find(|(jvm, _)| classes.iter().any(|c| c == jvm))
        .map(|(_, py)| py.to_string())
        .unwrap_or_else(|| {
            info.reason
                .rsplit('.')
                .next()
                .unwrap_or("SparkConnectGrpcException")
                .to_string()
        });
    ConnectError::new(&class, message)
}
