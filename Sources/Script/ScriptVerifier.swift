import ByteCodec
import ChainCrypto
import ChainTypes

/// Verifies that an input's scriptSig and witness satisfy the scriptPubKey it spends
/// (Core's `VerifyScript`): bare scripts, P2SH, segwit v0, taproot key and script paths.
public enum ScriptVerifier {
    /// Control block sizes (BIP341).
    static let controlBaseSize = 33
    static let controlNodeSize = 32
    static let controlMaxNodes = 128
    /// Leaf version of BIP342 tapscript.
    public static let tapscriptLeafVersion: UInt8 = 0xc0
    static let annexTag: UInt8 = 0x50

    /// Throws the first rule broken; returns when the spend is valid.
    public static func verify(
        scriptSig: [UInt8], scriptPubKey: [UInt8], witness: [[UInt8]], flags: ScriptVerifyFlags,
        checker: some SignatureChecker
    ) throws(ScriptError) {
        if scriptSig.isEmpty, flags.contains(.witness), let (version, _) = ScriptPattern.witnessProgramShape(scriptPubKey) {
            // What `verifyInterpreted` amounts to for a native witness spend, without running the
            // interpreter over the program: evaluating it pushes the version and the program, of
            // which only the program's truth matters; after the witness program the stack is cut
            // to one item (Core's `resize(1)`), so CLEANSTACK holds.
            let program = scriptPubKey[2...]
            guard Interpreter.castToBool(program) else { throw .evalFalse }
            try verifyWitnessProgram(witness: witness, version: version, program: program, flags: flags, checker: checker, isP2SH: false)
            return
        }
        try verifyInterpreted(scriptSig: scriptSig, scriptPubKey: scriptPubKey, witness: witness, flags: flags, checker: checker)
    }

    /// Core's `VerifyScript` step by step through the interpreter. `verify` takes this path for
    /// everything but native witness spends with an empty scriptSig, for which its shortcut is
    /// checked against this path (`WitnessShortcutTests`).
    static func verifyInterpreted(
        scriptSig: [UInt8], scriptPubKey: [UInt8], witness: [[UInt8]], flags: ScriptVerifyFlags,
        checker: some SignatureChecker
    ) throws(ScriptError) {
        if flags.contains(.sigPushOnly) && !ScriptPattern.isPushOnly(scriptSig) { throw .sigPushOnly }
        var execution = ScriptExecutionData()
        var stack: [[UInt8]] = []
        try Interpreter.evaluate(stack: &stack, script: scriptSig, flags: flags, checker: checker, version: .base, execution: &execution)
        let stackAfterScriptSig = flags.contains(.p2sh) ? stack : []
        try Interpreter.evaluate(stack: &stack, script: scriptPubKey, flags: flags, checker: checker, version: .base, execution: &execution)
        guard let top = stack.last, Interpreter.castToBool(top) else { throw .evalFalse }

        var hadWitness = false
        if flags.contains(.witness), let (version, _) = ScriptPattern.witnessProgramShape(scriptPubKey) {
            hadWitness = true
            if !scriptSig.isEmpty { throw .witnessMalleated }
            try verifyWitnessProgram(
                witness: witness, version: version, program: scriptPubKey[2...], flags: flags, checker: checker, isP2SH: false)
            stack.removeLast(stack.count - 1)
        }

        if flags.contains(.p2sh) && ScriptPattern.isPayToScriptHash(scriptPubKey) {
            if !ScriptPattern.isPushOnly(scriptSig) { throw .sigPushOnly }
            stack = stackAfterScriptSig
            guard let redeemScript = stack.popLast() else { throw .evalFalse }
            try Interpreter.evaluate(stack: &stack, script: redeemScript, flags: flags, checker: checker, version: .base, execution: &execution)
            guard let top = stack.last, Interpreter.castToBool(top) else { throw .evalFalse }
            if flags.contains(.witness), let (version, _) = ScriptPattern.witnessProgramShape(redeemScript) {
                hadWitness = true
                if scriptSig != ScriptBuilder.push(redeemScript) { throw .witnessMalleatedP2SH }
                try verifyWitnessProgram(
                    witness: witness, version: version, program: redeemScript[2...], flags: flags, checker: checker, isP2SH: true)
                stack.removeLast(stack.count - 1)
            }
        }

        if flags.contains(.cleanStack) && stack.count != 1 { throw .cleanStack }
        if flags.contains(.witness) && !hadWitness && !witness.isEmpty { throw .witnessUnexpected }
    }

    static func verifyWitnessProgram(
        witness: [[UInt8]], version: Int, program: ArraySlice<UInt8>, flags: ScriptVerifyFlags, checker: some SignatureChecker,
        isP2SH: Bool
    ) throws(ScriptError) {
        var stack = witness
        var execution = ScriptExecutionData()
        if version == 0 {
            if program.count == 32 {
                guard let script = stack.popLast() else { throw .witnessProgramWitnessEmpty }
                guard Hashing.sha256(script).withUnsafeBytes({ $0.elementsEqual(program) }) else { throw .witnessProgramMismatch }
                try executeWitnessScript(stack: stack, script: script, flags: flags, version: .witnessV0, checker: checker, execution: &execution)
            } else if program.count == 20 {
                guard stack.count == 2 else { throw .witnessProgramMismatch }
                try verifyPayToWitnessPubkeyHash(signature: stack[0], publicKey: stack[1], program: program, flags: flags, checker: checker)
            } else {
                throw .witnessProgramWrongLength
            }
        } else if version == 1 && program.count == 32 && !isP2SH {
            guard flags.contains(.taproot) else { return }
            if stack.isEmpty { throw .witnessProgramWitnessEmpty }
            if stack.count >= 2, let last = stack.last, last.first == annexTag {
                var writer = ByteWriter(capacity: last.count + 3)
                writer.writeVarBytes(last)
                execution.annexHash = Hashing.sha256(writer.bytes)
                stack.removeLast()
            }
            if stack.count == 1 {
                try checker.checkSchnorrSignature(stack[0], publicKey: Array(program), version: .taproot, execution: &execution)
                return
            }
            let control = stack.removeLast()
            let script = stack.removeLast()
            let nodesLength = control.count - controlBaseSize
            guard control.count >= controlBaseSize, nodesLength % controlNodeSize == 0,
                nodesLength / controlNodeSize <= controlMaxNodes
            else { throw .taprootWrongControlSize }
            let leafVersion = control[0] & 0xfe
            execution.tapleafHash = tapleafHash(leafVersion: leafVersion, script: script)
            guard verifyTaprootCommitment(control: control, program: Array(program), leafHash: execution.tapleafHash) else {
                throw .witnessProgramMismatch
            }
            if leafVersion == tapscriptLeafVersion {
                execution.validationWeightLeft = Int64(serializedSize(of: witness)) + 50
                try executeWitnessScript(stack: stack, script: script, flags: flags, version: .tapscript, checker: checker, execution: &execution)
                return
            }
            if flags.contains(.discourageUpgradableTaprootVersion) { throw .discourageUpgradableTaprootVersion }
        } else if !isP2SH && ScriptPattern.isPayToAnchor(version: version, program: program) {
            return
        } else if flags.contains(.discourageUpgradableWitnessProgram) {
            throw .discourageUpgradableWitnessProgram
        }
        // Other versions and sizes are anyone-can-spend, reserved for future soft forks.
    }

    /// The script a P2WPKH program stands for: `DUP HASH160 <program> EQUALVERIFY CHECKSIG`.
    static func payToWitnessPubkeyHashScript(_ program: ArraySlice<UInt8>) -> [UInt8] {
        var script: [UInt8] = []
        script.reserveCapacity(25)
        script.append(contentsOf: [Opcode.dup, Opcode.hash160, 0x14])
        script.append(contentsOf: program)
        script.append(contentsOf: [Opcode.equalVerify, Opcode.checkSig])
        return script
    }

    /// Executing `payToWitnessPubkeyHashScript(program)` on the two witness items, step by step
    /// as the interpreter would (the same checks, in the same order, with the same errors), but
    /// without the interpreter's main and alternate stacks or copies of the items: element
    /// sizes, `DUP HASH160` and `EQUALVERIFY` against the program, then `CHECKSIG`, whose result
    /// must be true.
    static func verifyPayToWitnessPubkeyHash(
        signature: [UInt8], publicKey: [UInt8], program: ArraySlice<UInt8>, flags: ScriptVerifyFlags, checker: some SignatureChecker
    ) throws(ScriptError) {
        if signature.count > Interpreter.maxElementSize || publicKey.count > Interpreter.maxElementSize { throw .pushSize }
        guard Hashing.hash160(publicKey).elementsEqual(program) else { throw .equalVerify }
        var execution = ScriptExecutionData()
        let script = payToWitnessPubkeyHashScript(program)
        guard try Interpreter.checkSignature(
            signature: signature, publicKey: publicKey, scriptCode: script[...], flags: flags, checker: checker, version: .witnessV0,
            execution: &execution)
        else { throw .evalFalse }
    }

    static func executeWitnessScript(
        stack initialStack: [[UInt8]], script: [UInt8], flags: ScriptVerifyFlags, version: SignatureVersion,
        checker: some SignatureChecker, execution: inout ScriptExecutionData
    ) throws(ScriptError) {
        // One allocation with room for what the script pushes (the witness is shared until then).
        var stack: [[UInt8]] = []
        stack.reserveCapacity(initialStack.count + 8)
        stack.append(contentsOf: initialStack)
        if version == .tapscript {
            var parser = ScriptParser(script)
            while !parser.isAtEnd {
                guard let instruction = parser.next() else { throw .badOpcode }
                if Opcode.isSuccess(instruction.opcode) {
                    if flags.contains(.discourageOpSuccess) { throw .discourageOpSuccess }
                    return
                }
            }
            if stack.count > Interpreter.maxStackSize { throw .stackSize }
        }
        if stack.contains(where: { $0.count > Interpreter.maxElementSize }) { throw .pushSize }
        try Interpreter.evaluate(stack: &stack, script: script, flags: flags, checker: checker, version: version, execution: &execution)
        if stack.count != 1 { throw .cleanStack }
        if !Interpreter.castToBool(stack[0]) { throw .evalFalse }
    }

    /// BIP341 leaf hash: `TapLeaf(version ‖ compact size ‖ script)`.
    public static func tapleafHash(leafVersion: UInt8, script: [UInt8]) -> Hash256 {
        var hasher = TaggedHash.tapLeaf.makeHasher()
        var writer = ByteWriter(capacity: script.count + 4)
        writer.write(leafVersion)
        writer.writeVarBytes(script)
        hasher.update(writer.bytes)
        return hasher.finalize()
    }

    /// BIP341 branch hash of two children, ordered bytewise.
    public static func tapBranchHash(_ a: Hash256, _ b: Hash256) -> Hash256 {
        let left = a.bytes, right = b.bytes
        let ordered = left.lexicographicallyPrecedes(right) ? left + right : right + left
        return TaggedHash.tapBranch.hash(ordered)
    }

    /// Walks the control block's path from the leaf to the root and checks the output key.
    static func verifyTaprootCommitment(control: [UInt8], program: [UInt8], leafHash: Hash256) -> Bool {
        guard let internalKey = try? XOnlyPublicKey(bytes: control[1..<controlBaseSize]) else { return false }
        var node = leafHash
        var offset = controlBaseSize
        while offset < control.count {
            guard let sibling = Hash256(bytes: control[offset..<offset + controlNodeSize]) else { return false }
            node = tapBranchHash(node, sibling)
            offset += controlNodeSize
        }
        let tweak = XOnlyPublicKey.tapTweak(internalKey: internalKey, merkleRoot: node)
        return internalKey.checkTweak(outputKey: program, parity: control[0] & 1 == 1, tweak: tweak)
    }

    /// Serialized size of a witness stack (count prefix, then each item with its length prefix).
    static func serializedSize(of stack: [[UInt8]]) -> Int {
        stack.reduce(ByteWriter.compactSizeLength(stack.count)) { $0 + ByteWriter.compactSizeLength($1.count) + $1.count }
    }
}
