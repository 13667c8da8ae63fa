/// Recognisers for the standard script forms consensus treats specially.
public enum ScriptPattern {
    /// `OP_HASH160 <20 bytes> OP_EQUAL` (BIP16).
    public static func isPayToScriptHash(_ script: [UInt8]) -> Bool {
        script.count == 23 && script[0] == Opcode.hash160 && script[1] == 0x14 && script[22] == Opcode.equal
    }

    /// A witness program: a version opcode (`OP_0`, `OP_1`…`OP_16`) then one 2-40 byte push.
    public static func witnessProgram(_ script: [UInt8]) -> (version: Int, program: [UInt8])? {
        witnessProgramShape(script).map { ($0.version, Array(script[2...])) }
    }

    /// The version and program length of a witness program, without copying the program.
    public static func witnessProgramShape(_ script: [UInt8]) -> (version: Int, length: Int)? {
        guard script.count >= 4, script.count <= 42 else { return nil }
        let versionOpcode = script[0]
        guard versionOpcode == Opcode.op0 || (Opcode.op1...Opcode.op16).contains(versionOpcode) else { return nil }
        guard Int(script[1]) + 2 == script.count else { return nil }
        return (versionOpcode == Opcode.op0 ? 0 : Int(versionOpcode - Opcode.op1 + 1), script.count - 2)
    }

    /// True when every instruction from byte `start` parses and is a push (`OP_16` or below,
    /// which includes OP_RESERVED): Core's `IsPushOnly`.
    public static func isPushOnly(_ script: [UInt8], from start: Int = 0) -> Bool {
        lastPushData(script, from: start) != nil
    }

    /// The data of the last push of a push-only script (empty for an empty script), or nil when
    /// the script is not push-only.
    public static func lastPush(of script: [UInt8]) -> [UInt8]? {
        lastPushData(script, from: 0).map(Array.init)
    }

    private static func lastPushData(_ script: [UInt8], from start: Int) -> ArraySlice<UInt8>? {
        var parser = ScriptParser(script, position: start)
        var last: ArraySlice<UInt8> = []
        while !parser.isAtEnd {
            guard let instruction = parser.next(), instruction.opcode <= Opcode.op16 else { return nil }
            last = instruction.data
        }
        return last
    }

    /// Core's `IsUnspendable`: starts with `OP_RETURN` or is larger than the script size limit;
    /// such outputs never enter the UTXO set.
    public static func isUnspendable(_ script: [UInt8]) -> Bool {
        script.first == Opcode.return || script.count > Interpreter.maxScriptSize
    }

    /// BIP-defined pay-to-anchor output `OP_1 <0x4e73>`.
    public static func isPayToAnchor(version: Int, program: some Collection<UInt8>) -> Bool {
        version == 1 && program.elementsEqual([0x4e, 0x73])
    }
}
