import CSecp256k1

/// The process's one libsecp256k1 context, randomized at creation for side-channel protection.
///
/// libsecp256k1 documents every API call taking a `const secp256k1_context*` as safe to use from
/// many threads at once; only `context_randomize` and `context_destroy` mutate it. This class
/// calls `randomize` once in `init`, before the context is published, and `destroy` only in
/// `deinit`, so sharing it across threads is sound: that is the reasoning behind
/// `@unchecked Sendable`. The raw pointer never leaves this module.
final class Secp256k1Context: @unchecked Sendable {
    let pointer: OpaquePointer

    /// The shared context. Created on first use.
    static let shared = Secp256k1Context()

    private init() {
        // `SECP256K1_CONTEXT_NONE`: since libsecp256k1 0.2 every context can sign and verify.
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("libsecp256k1 could not allocate a context")  // out of memory at start-up
        }
        _ = secp256k1_context_randomize(context, SystemRandom.bytes(32))
        pointer = context
    }

    deinit { secp256k1_context_destroy(pointer) }
}

/// Cryptographically secure random bytes from the operating system (getrandom(2) through the
/// standard library's `SystemRandomNumberGenerator`, which traps rather than return weak bytes).
public enum SystemRandom {
    /// `count` random bytes.
    public static func bytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in generator.next() }
    }
}
