//! The syntax layer: tokens, the tree, and the parser. Depends only on `core::error`.

pub mod ast;
pub mod depth;
pub mod lexer;
pub mod parser;
pub mod unsupported;
