#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
import Foundation
import RPCClient

/// rusty-cli: bitcoin-cli for rustyd. The behaviour lives in `RPCClient.CommandLineTool`;
/// this file connects it to the process's arguments, standard streams and exit status.
@main
enum RustyCLI {
    static func main() {
        let tool = CommandLineTool(
            home: ProcessInfo.processInfo.environment["HOME"] ?? FileManager.default.homeDirectoryForCurrentUser.path,
            readLine: { Swift.readLine(strippingNewline: true) },
            sleep: { duration in
                let nanoseconds = duration.components.seconds * 1_000_000_000 + duration.components.attoseconds / 1_000_000_000
                var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
                _ = nanosleep(&request, nil)
            })
        let outcome = tool.run(Array(CommandLine.arguments.dropFirst()))
        FileHandle.standardOutput.write(Data(outcome.output.utf8))
        FileHandle.standardError.write(Data(outcome.error.utf8))
        exit(outcome.status)
    }
}
