import Foundation
import JSONRPC
import TestSupport

/// Helpers shared by the NodeRPC tests.
enum RPCTestSupport {
    /// A fixture parsed with our own JSON parser (so objects keep their key order).
    static func fixtureJSON(_ name: String) throws -> JSONValue {
        let fixture = try Fixture(name, in: Bundle.module)
        return try JSONParser.parse(Array(fixture.data))
    }

    /// Calls `method` with positional `params` and returns the result or the error.
    static func call(_ method: RPCMethod, _ params: [JSONValue]) async -> Result<JSONValue, RPCError> {
        let registry = RPCMethodRegistry()
        registry.register(method)
        let dispatcher = RPCDispatcher(registry: registry)
        do throws(RPCError) {
            return .success(try await dispatcher.call(method.name, params: .array(params)))
        } catch {
            return .failure(error)
        }
    }
}
