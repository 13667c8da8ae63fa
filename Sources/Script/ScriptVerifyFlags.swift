/// Script verification flags, bit-compatible with Bitcoin Core's `SCRIPT_VERIFY_*`.
public struct ScriptVerifyFlags: OptionSet, Hashable, Sendable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let p2sh = ScriptVerifyFlags(rawValue: 1 << 0)
    public static let strictEncoding = ScriptVerifyFlags(rawValue: 1 << 1)
    public static let derSignatures = ScriptVerifyFlags(rawValue: 1 << 2)
    public static let lowS = ScriptVerifyFlags(rawValue: 1 << 3)
    public static let nullDummy = ScriptVerifyFlags(rawValue: 1 << 4)
    public static let sigPushOnly = ScriptVerifyFlags(rawValue: 1 << 5)
    public static let minimalData = ScriptVerifyFlags(rawValue: 1 << 6)
    public static let discourageUpgradableNops = ScriptVerifyFlags(rawValue: 1 << 7)
    public static let cleanStack = ScriptVerifyFlags(rawValue: 1 << 8)
    public static let checkLockTimeVerify = ScriptVerifyFlags(rawValue: 1 << 9)
    public static let checkSequenceVerify = ScriptVerifyFlags(rawValue: 1 << 10)
    public static let witness = ScriptVerifyFlags(rawValue: 1 << 11)
    public static let discourageUpgradableWitnessProgram = ScriptVerifyFlags(rawValue: 1 << 12)
    public static let minimalIf = ScriptVerifyFlags(rawValue: 1 << 13)
    public static let nullFail = ScriptVerifyFlags(rawValue: 1 << 14)
    public static let witnessPubkeyType = ScriptVerifyFlags(rawValue: 1 << 15)
    public static let constScriptCode = ScriptVerifyFlags(rawValue: 1 << 16)
    public static let taproot = ScriptVerifyFlags(rawValue: 1 << 17)
    public static let discourageUpgradableTaprootVersion = ScriptVerifyFlags(rawValue: 1 << 18)
    public static let discourageOpSuccess = ScriptVerifyFlags(rawValue: 1 << 19)
    public static let discourageUpgradablePubkeyType = ScriptVerifyFlags(rawValue: 1 << 20)

    /// The consensus rules of a chain with every soft fork active (P2SH through taproot).
    public static let consensus: ScriptVerifyFlags = [
        .p2sh, .derSignatures, .nullDummy, .checkLockTimeVerify, .checkSequenceVerify, .witness, .taproot,
    ]

    /// Bitcoin Core's `STANDARD_SCRIPT_VERIFY_FLAGS`: consensus plus relay policy.
    public static let standard: ScriptVerifyFlags = consensus.union([
        .strictEncoding, .minimalData, .discourageUpgradableNops, .cleanStack, .minimalIf, .nullFail,
        .lowS, .discourageUpgradableWitnessProgram, .witnessPubkeyType, .constScriptCode,
        .discourageUpgradableTaprootVersion, .discourageOpSuccess, .discourageUpgradablePubkeyType,
    ])

    /// Every flag by Bitcoin Core's name (as in its test data).
    public static let byName: [String: ScriptVerifyFlags] = [
        "NONE": [], "P2SH": .p2sh, "STRICTENC": .strictEncoding, "DERSIG": .derSignatures, "LOW_S": .lowS,
        "NULLDUMMY": .nullDummy, "SIGPUSHONLY": .sigPushOnly, "MINIMALDATA": .minimalData,
        "DISCOURAGE_UPGRADABLE_NOPS": .discourageUpgradableNops, "CLEANSTACK": .cleanStack,
        "CHECKLOCKTIMEVERIFY": .checkLockTimeVerify, "CHECKSEQUENCEVERIFY": .checkSequenceVerify,
        "WITNESS": .witness, "DISCOURAGE_UPGRADABLE_WITNESS_PROGRAM": .discourageUpgradableWitnessProgram,
        "MINIMALIF": .minimalIf, "NULLFAIL": .nullFail, "WITNESS_PUBKEYTYPE": .witnessPubkeyType,
        "CONST_SCRIPTCODE": .constScriptCode, "TAPROOT": .taproot,
        "DISCOURAGE_UPGRADABLE_TAPROOT_VERSION": .discourageUpgradableTaprootVersion,
        "DISCOURAGE_OP_SUCCESS": .discourageOpSuccess,
        "DISCOURAGE_UPGRADABLE_PUBKEYTYPE": .discourageUpgradablePubkeyType,
    ]
}
