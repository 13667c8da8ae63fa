/// Script opcodes, by their Bitcoin values. Kept as `UInt8` constants so the interpreter can
/// switch on raw bytes.
public enum Opcode {
    public static let op0: UInt8 = 0x00
    public static let pushData1: UInt8 = 0x4c
    public static let pushData2: UInt8 = 0x4d
    public static let pushData4: UInt8 = 0x4e
    public static let op1Negate: UInt8 = 0x4f
    public static let reserved: UInt8 = 0x50
    public static let op1: UInt8 = 0x51
    public static let op16: UInt8 = 0x60
    public static let nop: UInt8 = 0x61
    public static let ver: UInt8 = 0x62
    public static let `if`: UInt8 = 0x63
    public static let notIf: UInt8 = 0x64
    public static let verIf: UInt8 = 0x65
    public static let verNotIf: UInt8 = 0x66
    public static let `else`: UInt8 = 0x67
    public static let endIf: UInt8 = 0x68
    public static let verify: UInt8 = 0x69
    public static let `return`: UInt8 = 0x6a
    public static let toAltStack: UInt8 = 0x6b
    public static let fromAltStack: UInt8 = 0x6c
    public static let twoDrop: UInt8 = 0x6d
    public static let twoDup: UInt8 = 0x6e
    public static let threeDup: UInt8 = 0x6f
    public static let twoOver: UInt8 = 0x70
    public static let twoRot: UInt8 = 0x71
    public static let twoSwap: UInt8 = 0x72
    public static let ifDup: UInt8 = 0x73
    public static let depth: UInt8 = 0x74
    public static let drop: UInt8 = 0x75
    public static let dup: UInt8 = 0x76
    public static let nip: UInt8 = 0x77
    public static let over: UInt8 = 0x78
    public static let pick: UInt8 = 0x79
    public static let roll: UInt8 = 0x7a
    public static let rot: UInt8 = 0x7b
    public static let swap: UInt8 = 0x7c
    public static let tuck: UInt8 = 0x7d
    public static let cat: UInt8 = 0x7e
    public static let substr: UInt8 = 0x7f
    public static let left: UInt8 = 0x80
    public static let right: UInt8 = 0x81
    public static let size: UInt8 = 0x82
    public static let invert: UInt8 = 0x83
    public static let and: UInt8 = 0x84
    public static let or: UInt8 = 0x85
    public static let xor: UInt8 = 0x86
    public static let equal: UInt8 = 0x87
    public static let equalVerify: UInt8 = 0x88
    public static let reserved1: UInt8 = 0x89
    public static let reserved2: UInt8 = 0x8a
    public static let add1: UInt8 = 0x8b
    public static let sub1: UInt8 = 0x8c
    public static let mul2: UInt8 = 0x8d
    public static let div2: UInt8 = 0x8e
    public static let negate: UInt8 = 0x8f
    public static let abs: UInt8 = 0x90
    public static let not: UInt8 = 0x91
    public static let notEqual0: UInt8 = 0x92
    public static let add: UInt8 = 0x93
    public static let sub: UInt8 = 0x94
    public static let mul: UInt8 = 0x95
    public static let div: UInt8 = 0x96
    public static let mod: UInt8 = 0x97
    public static let lShift: UInt8 = 0x98
    public static let rShift: UInt8 = 0x99
    public static let boolAnd: UInt8 = 0x9a
    public static let boolOr: UInt8 = 0x9b
    public static let numEqual: UInt8 = 0x9c
    public static let numEqualVerify: UInt8 = 0x9d
    public static let numNotEqual: UInt8 = 0x9e
    public static let lessThan: UInt8 = 0x9f
    public static let greaterThan: UInt8 = 0xa0
    public static let lessThanOrEqual: UInt8 = 0xa1
    public static let greaterThanOrEqual: UInt8 = 0xa2
    public static let min: UInt8 = 0xa3
    public static let max: UInt8 = 0xa4
    public static let within: UInt8 = 0xa5
    public static let ripemd160: UInt8 = 0xa6
    public static let sha1: UInt8 = 0xa7
    public static let sha256: UInt8 = 0xa8
    public static let hash160: UInt8 = 0xa9
    public static let hash256: UInt8 = 0xaa
    public static let codeSeparator: UInt8 = 0xab
    public static let checkSig: UInt8 = 0xac
    public static let checkSigVerify: UInt8 = 0xad
    public static let checkMultiSig: UInt8 = 0xae
    public static let checkMultiSigVerify: UInt8 = 0xaf
    public static let nop1: UInt8 = 0xb0
    public static let checkLockTimeVerify: UInt8 = 0xb1
    public static let checkSequenceVerify: UInt8 = 0xb2
    public static let nop4: UInt8 = 0xb3
    public static let nop10: UInt8 = 0xb9
    public static let checkSigAdd: UInt8 = 0xba
    public static let invalidOpcode: UInt8 = 0xff

    /// `OP_1` … `OP_16` for `n` in 1...16, `OP_0` for 0.
    public static func smallInteger(_ n: Int) -> UInt8 { n == 0 ? op0 : op1 + UInt8(n - 1) }

    /// BIP342: opcodes that make a tapscript succeed unconditionally (reserved for upgrades).
    public static func isSuccess(_ opcode: UInt8) -> Bool {
        switch opcode {
        case 80, 98, 126...129, 131...134, 137...138, 141...142, 149...153, 187...254: true
        default: false
        }
    }

    /// Bitcoin Core's name for an opcode, as used in asm (`OP_DUP`, `OP_CHECKSIG`, ...).
    public static func name(_ opcode: UInt8) -> String {
        switch opcode {
        case 0x00: return "0"
        case 0x4c: return "OP_PUSHDATA1"
        case 0x4d: return "OP_PUSHDATA2"
        case 0x4e: return "OP_PUSHDATA4"
        case 0x4f: return "-1"
        case 0x51...0x60: return String(opcode - 0x50)
        default: return names[Int(opcode)] ?? "OP_UNKNOWN"
        }
    }

    /// Looks an opcode up by name, with or without the `OP_` prefix.
    public static func named(_ name: String) -> UInt8? {
        let full = name.hasPrefix("OP_") ? name : "OP_" + name
        return byName[full]
    }

    private static let names: [Int: String] = {
        var table: [Int: String] = [
            0x50: "OP_RESERVED", 0x61: "OP_NOP", 0x62: "OP_VER", 0x63: "OP_IF", 0x64: "OP_NOTIF", 0x65: "OP_VERIF",
            0x66: "OP_VERNOTIF", 0x67: "OP_ELSE", 0x68: "OP_ENDIF", 0x69: "OP_VERIFY", 0x6a: "OP_RETURN",
            0x6b: "OP_TOALTSTACK", 0x6c: "OP_FROMALTSTACK", 0x6d: "OP_2DROP", 0x6e: "OP_2DUP", 0x6f: "OP_3DUP",
            0x70: "OP_2OVER", 0x71: "OP_2ROT", 0x72: "OP_2SWAP", 0x73: "OP_IFDUP", 0x74: "OP_DEPTH", 0x75: "OP_DROP",
            0x76: "OP_DUP", 0x77: "OP_NIP", 0x78: "OP_OVER", 0x79: "OP_PICK", 0x7a: "OP_ROLL", 0x7b: "OP_ROT",
            0x7c: "OP_SWAP", 0x7d: "OP_TUCK", 0x7e: "OP_CAT", 0x7f: "OP_SUBSTR", 0x80: "OP_LEFT", 0x81: "OP_RIGHT",
            0x82: "OP_SIZE", 0x83: "OP_INVERT", 0x84: "OP_AND", 0x85: "OP_OR", 0x86: "OP_XOR", 0x87: "OP_EQUAL",
            0x88: "OP_EQUALVERIFY", 0x89: "OP_RESERVED1", 0x8a: "OP_RESERVED2", 0x8b: "OP_1ADD", 0x8c: "OP_1SUB",
            0x8d: "OP_2MUL", 0x8e: "OP_2DIV", 0x8f: "OP_NEGATE", 0x90: "OP_ABS", 0x91: "OP_NOT", 0x92: "OP_0NOTEQUAL",
            0x93: "OP_ADD", 0x94: "OP_SUB", 0x95: "OP_MUL", 0x96: "OP_DIV", 0x97: "OP_MOD", 0x98: "OP_LSHIFT",
            0x99: "OP_RSHIFT", 0x9a: "OP_BOOLAND", 0x9b: "OP_BOOLOR", 0x9c: "OP_NUMEQUAL", 0x9d: "OP_NUMEQUALVERIFY",
            0x9e: "OP_NUMNOTEQUAL", 0x9f: "OP_LESSTHAN", 0xa0: "OP_GREATERTHAN", 0xa1: "OP_LESSTHANOREQUAL",
            0xa2: "OP_GREATERTHANOREQUAL", 0xa3: "OP_MIN", 0xa4: "OP_MAX", 0xa5: "OP_WITHIN", 0xa6: "OP_RIPEMD160",
            0xa7: "OP_SHA1", 0xa8: "OP_SHA256", 0xa9: "OP_HASH160", 0xaa: "OP_HASH256", 0xab: "OP_CODESEPARATOR",
            0xac: "OP_CHECKSIG", 0xad: "OP_CHECKSIGVERIFY", 0xae: "OP_CHECKMULTISIG", 0xaf: "OP_CHECKMULTISIGVERIFY",
            0xb0: "OP_NOP1", 0xb1: "OP_CHECKLOCKTIMEVERIFY", 0xb2: "OP_CHECKSEQUENCEVERIFY", 0xb3: "OP_NOP4",
            0xb4: "OP_NOP5", 0xb5: "OP_NOP6", 0xb6: "OP_NOP7", 0xb7: "OP_NOP8", 0xb8: "OP_NOP9", 0xb9: "OP_NOP10",
            0xba: "OP_CHECKSIGADD", 0xff: "OP_INVALIDOPCODE",
        ]
        table[0x00] = "OP_0"
        table[0x4f] = "OP_1NEGATE"
        for n in 1...16 { table[0x50 + n] = "OP_\(n)" }
        return table
    }()

    private static let byName: [String: UInt8] = {
        var table: [String: UInt8] = [:]
        for (code, name) in names { table[name] = UInt8(code) }
        table["OP_FALSE"] = 0x00
        table["OP_TRUE"] = 0x51
        table["OP_NOP2"] = 0xb1
        table["OP_NOP3"] = 0xb2
        table["OP_PUSHDATA1"] = 0x4c
        table["OP_PUSHDATA2"] = 0x4d
        table["OP_PUSHDATA4"] = 0x4e
        return table
    }()
}
