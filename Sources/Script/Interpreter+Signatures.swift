import ChainCrypto

extension Interpreter {
    /// OP_CHECKSIG and friends for one signature; returns whether it verified (an empty
    /// signature simply fails), or throws when a rule ends the script.
    static func checkSignature(
        signature: [UInt8], publicKey: [UInt8], scriptCode: ArraySlice<UInt8>, flags: ScriptVerifyFlags,
        checker: some SignatureChecker, version: SignatureVersion, execution: inout ScriptExecutionData
    ) throws(ScriptError) -> Bool {
        if version == .tapscript {
            let success = !signature.isEmpty
            if success {
                execution.validationWeightLeft -= validationWeightPerSigop
                if execution.validationWeightLeft < 0 { throw .tapscriptValidationWeight }
            }
            if publicKey.isEmpty { throw .tapscriptEmptyPubkey }
            if publicKey.count == 32 {
                if success {
                    try checker.checkSchnorrSignature(signature, publicKey: publicKey, version: version, execution: &execution)
                }
            } else if flags.contains(.discourageUpgradablePubkeyType) {
                throw .discourageUpgradablePubkeyType
            }
            return success
        }
        var code = Array(scriptCode)
        if version == .base {
            let found = findAndDelete(&code, pattern: ScriptBuilder.push(signature))
            if found > 0 && flags.contains(.constScriptCode) { throw .sigFindAndDelete }
        }
        try SignatureEncoding.checkSignature(signature, flags: flags)
        try SignatureEncoding.checkPublicKey(publicKey, flags: flags, version: version)
        let success = checker.checkECDSASignature(signature, publicKey: publicKey, scriptCode: code, version: version)
        if !success && flags.contains(.nullFail) && !signature.isEmpty { throw .sigNullFail }
        return success
    }

    /// OP_CHECKMULTISIG: pops its arguments (and the extra dummy) and returns the verdict.
    static func checkMultiSig(
        stack: inout [[UInt8]], scriptCode: [UInt8], flags: ScriptVerifyFlags, checker: some SignatureChecker,
        version: SignatureVersion, opCount: inout Int, requireMinimal: Bool
    ) throws(ScriptError) -> Bool {
        func top(_ offset: Int) -> [UInt8] { stack[stack.count - offset] }
        var i = 1
        if stack.count < i { throw .invalidStackOperation }
        var keysCount = Int(try ScriptNumber(top(i), requireMinimal: requireMinimal).int32)
        if keysCount < 0 || keysCount > maxPubkeysPerMultisig { throw .pubkeyCount }
        opCount += keysCount
        if opCount > maxOpsPerScript { throw .opCount }
        i += 1
        var keyIndex = i
        var cleanupKeys = keysCount + 2  // Core's ikey2: the last non-signature item, for NULLFAIL
        i += keysCount
        if stack.count < i { throw .invalidStackOperation }
        var sigsCount = Int(try ScriptNumber(top(i), requireMinimal: requireMinimal).int32)
        if sigsCount < 0 || sigsCount > keysCount { throw .sigCount }
        i += 1
        var sigIndex = i
        i += sigsCount
        if stack.count < i { throw .invalidStackOperation }

        var code = scriptCode
        if version == .base {
            for k in 0..<sigsCount {
                let found = findAndDelete(&code, pattern: ScriptBuilder.push(top(sigIndex + k)))
                if found > 0 && flags.contains(.constScriptCode) { throw .sigFindAndDelete }
            }
        }

        var success = true
        while success && sigsCount > 0 {
            let signature = top(sigIndex)
            let publicKey = top(keyIndex)
            try SignatureEncoding.checkSignature(signature, flags: flags)
            try SignatureEncoding.checkPublicKey(publicKey, flags: flags, version: version)
            if checker.checkECDSASignature(signature, publicKey: publicKey, scriptCode: code, version: version) {
                sigIndex += 1
                sigsCount -= 1
            }
            keyIndex += 1
            keysCount -= 1
            if sigsCount > keysCount { success = false }
        }

        while i > 1 {
            i -= 1
            if !success && flags.contains(.nullFail) && cleanupKeys == 0 && !top(1).isEmpty { throw .sigNullFail }
            if cleanupKeys > 0 { cleanupKeys -= 1 }
            stack.removeLast()
        }
        if stack.isEmpty { throw .invalidStackOperation }
        if flags.contains(.nullDummy) && !top(1).isEmpty { throw .sigNullDummy }
        stack.removeLast()
        return success
    }

    /// Core's `FindAndDelete`: removes every occurrence of `pattern` that starts at an
    /// instruction boundary. Returns how many were removed.
    public static func findAndDelete(_ script: inout [UInt8], pattern: [UInt8]) -> Int {
        guard !pattern.isEmpty else { return 0 }
        var found = 0
        var result: [UInt8] = []
        var parser = ScriptParser(script)
        var copyStart = 0
        var position = 0
        repeat {
            result += script[copyStart..<position]
            while script.count - position >= pattern.count && script[position..<position + pattern.count].elementsEqual(pattern) {
                position += pattern.count
                found += 1
            }
            copyStart = position
            parser = ScriptParser(script, position: position)
            guard parser.next() != nil else { break }
            position = parser.position
        } while true
        if found > 0 {
            result += script[copyStart...]
            script = result
        }
        return found
    }
}
