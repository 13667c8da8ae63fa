import Script

/// Which script rules apply to a block's transactions (Core's `GetBlockScriptFlags`).
public struct SoftForkState: Sendable, Equatable {
    public var p2sh: Bool
    public var derSignatures: Bool
    public var checkLockTimeVerify: Bool
    public var checkSequenceVerify: Bool
    public var segwit: Bool
    public var taproot: Bool

    public init(p2sh: Bool, derSignatures: Bool, checkLockTimeVerify: Bool, checkSequenceVerify: Bool, segwit: Bool, taproot: Bool) {
        self.p2sh = p2sh
        self.derSignatures = derSignatures
        self.checkLockTimeVerify = checkLockTimeVerify
        self.checkSequenceVerify = checkSequenceVerify
        self.segwit = segwit
        self.taproot = taproot
    }

    /// Everything active.
    public static let all = SoftForkState(
        p2sh: true, derSignatures: true, checkLockTimeVerify: true, checkSequenceVerify: true, segwit: true, taproot: true)

    /// The verification flags for scripts in a block under these rules.
    public var scriptFlags: ScriptVerifyFlags {
        var flags: ScriptVerifyFlags = []
        if p2sh { flags.insert(.p2sh) }
        if segwit { flags.formUnion([.witness, .nullDummy]) }
        if taproot { flags.insert(.taproot) }
        if derSignatures { flags.insert(.derSignatures) }
        if checkLockTimeVerify { flags.insert(.checkLockTimeVerify) }
        if checkSequenceVerify { flags.insert(.checkSequenceVerify) }
        return flags
    }
}
