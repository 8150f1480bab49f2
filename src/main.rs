use std::process::ExitCode;

fn main() -> ExitCode {
    archlint::cli::main()
}
