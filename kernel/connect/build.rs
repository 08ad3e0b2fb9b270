//! Generates the Spark Connect protocol from the descriptor set that
//! `proto/extract.py` takes from the pyspark wheel: no protoc, no .proto files.

use prost::Message;
use prost_types::field_descriptor_proto::{Label, Type};
use prost_types::{DescriptorProto, FieldDescriptorProto, FileDescriptorProto};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let path = "proto/spark-connect.fds";
    println!("cargo:rerun-if-changed={path}");
    let mut fds = prost_types::FileDescriptorSet::decode(std::fs::read(path)?.as_slice())?;
    // Spark's files import google/protobuf/{any,timestamp}.proto; prost maps the types to
    // prost_types but still needs their descriptors to analyse the messages holding them.
    fds.file.insert(
        0,
        well_known(
            "any",
            "Any",
            &[("type_url", Type::String), ("value", Type::Bytes)],
        ),
    );
    fds.file.insert(
        0,
        well_known(
            "timestamp",
            "Timestamp",
            &[("seconds", Type::Int64), ("nanos", Type::Int32)],
        ),
    );
    tonic_prost_build::configure()
        .build_server(false)
        .compile_fds(fds)?;
    Ok(())
}

/// The descriptor of a well-known type with one message of plain fields.
fn well_known(file: &str, message: &str, fields: &[(&str, Type)]) -> FileDescriptorProto {
    FileDescriptorProto {
        name: Some(format!("google/protobuf/{file}.proto")),
        package: Some("google.protobuf".into()),
        message_type: vec![DescriptorProto {
            name: Some(message.into()),
            field: fields
                .iter()
                .zip(1..)
                .map(|((name, ty), number)| FieldDescriptorProto {
                    name: Some((*name).into()),
                    number: Some(number),
                    label: Some(Label::Optional as i32),
                    r#type: Some(*ty as i32),
                    ..Default::default()
                })
                .collect(),
            ..Default::default()
        }],
        syntax: Some("proto3".into()),
        ..Default::default()
    }
}
