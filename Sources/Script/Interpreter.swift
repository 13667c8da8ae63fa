import ChainCrypto
import Crypto

/// Bitcoin's script interpreter (`EvalScript`), rule for rule and error for error.
public enum Interpreter {
    /// Largest script (bare, P2SH, P2WSH) the interpreter will run.
    public static let maxScriptSize = 10_000
    /// Largest stack element.
    public static let maxElementSize = 520
    /// Non-push opcodes per script (pre-tapscript).
    public static let maxOpsPerScript = 201
    /// Combined main and alt stack depth.
    public static let maxStackSize = 1000
    /// Keys in one CHECKMULTISIG.
    public static let maxPubkeysPerMultisig = 20
    /// BIP342 budget cost of one signature check.
    public static let validationWeightPerSigop: Int64 = 50

    /// Bitcoin's truth value: any non-zero byte, except a lone sign bit at the end (negative zero).
    @inlinable
    public static func castToBool(_ value: some BidirectionalCollection<UInt8>) -> Bool {
        var index = value.startIndex
        while index != value.endIndex {
            if value[index] != 0 { return !(value.index(after: index) == value.endIndex && value[index] == 0x80) }
            value.formIndex(after: &index)
        }
        return false
    }

    /// Whether `data` was pushed with the shortest possible push (MINIMALDATA).
    public static func isMinimalPush(_ data: ArraySlice<UInt8>, opcode: UInt8) -> Bool {
        guard let first = data.first else { return opcode == Opcode.op0 }
        if data.count == 1 && ((1...16).contains(first) || first == 0x81) { return false }
        if data.count <= 75 { return Int(opcode) == data.count }
        if data.count <= 255 { return opcode == Opcode.pushData1 }
        if data.count <= 65535 { return opcode == Opcode.pushData2 }
        return true
    }

    private static let falseValue: [UInt8] = []
    private static let trueValue: [UInt8] = [1]

    /// Runs `script` on `stack`. Throws the first rule broken.
    public static func evaluate(
        stack: inout [[UInt8]], script: [UInt8], flags: ScriptVerifyFlags, checker: some SignatureChecker,
        version: SignatureVersion, execution: inout ScriptExecutionData
    ) throws(ScriptError) {
        if (version == .base || version == .witnessV0) && script.count > maxScriptSize { throw .scriptSize }
        var parser = ScriptParser(script)
        var conditions = ConditionStack()
        var altStack: [[UInt8]] = []
        var opCount = 0
        let requireMinimal = flags.contains(.minimalData)
        var codeHashStart = 0
        var opcodePosition: UInt32 = 0
        execution.codeSeparatorPosition = 0xffff_ffff

        func number(_ bytes: [UInt8], maxSize: Int = 4) throws(ScriptError) -> Int64 {
            try ScriptNumber(bytes, requireMinimal: requireMinimal, maxSize: maxSize).value
        }
        func require(_ depth: Int) throws(ScriptError) {
            if stack.count < depth { throw .invalidStackOperation }
        }

        while !parser.isAtEnd {
            defer { opcodePosition &+= 1 }
            let executing = conditions.allTrue
            guard let (opcode, data) = parser.nextLocated() else { throw .badOpcode }
            if data.count > maxElementSize { throw .pushSize }
            if version == .base || version == .witnessV0 {
                if opcode > Opcode.op16 {
                    opCount += 1
                    if opCount > maxOpsPerScript { throw .opCount }
                }
            }
            switch opcode {
            case Opcode.cat, Opcode.substr, Opcode.left, Opcode.right, Opcode.invert, Opcode.and, Opcode.or,
                Opcode.xor, Opcode.mul2, Opcode.div2, Opcode.mul, Opcode.div, Opcode.mod, Opcode.lShift, Opcode.rShift:
                throw .disabledOpcode  // CVE-2010-5137
            default: break
            }
            if opcode == Opcode.codeSeparator && version == .base && flags.contains(.constScriptCode) {
                throw .opCodeSeparator
            }

            if executing && opcode <= Opcode.pushData4 {
                let pushed: [UInt8] = data.isEmpty ? [] : script.withUnsafeBufferPointer { Array($0[data]) }
                if requireMinimal && !isMinimalPush(pushed[...], opcode: opcode) { throw .minimalData }
                stack.append(pushed)
            } else if executing || (Opcode.if...Opcode.endIf).contains(opcode) {
                switch opcode {
                case Opcode.op1Negate, Opcode.op1...Opcode.op16:
                    stack.append(ScriptNumber.encode(Int64(opcode) - Int64(Opcode.op1 - 1)))

                case Opcode.nop:
                    break

                case Opcode.checkLockTimeVerify:
                    guard flags.contains(.checkLockTimeVerify) else { break }
                    try require(1)
                    let lockTime = try number(stack[stack.count - 1], maxSize: 5)
                    if lockTime < 0 { throw .negativeLocktime }
                    if !checker.checkLockTime(lockTime) { throw .unsatisfiedLocktime }

                case Opcode.checkSequenceVerify:
                    guard flags.contains(.checkSequenceVerify) else { break }
                    try require(1)
                    let sequence = try number(stack[stack.count - 1], maxSize: 5)
                    if sequence < 0 { throw .negativeLocktime }
                    if sequence & Int64(1 << 31) != 0 { break }
                    if !checker.checkSequence(sequence) { throw .unsatisfiedLocktime }

                case Opcode.nop1, Opcode.nop4...Opcode.nop10:
                    if flags.contains(.discourageUpgradableNops) { throw .discourageUpgradableNops }

                case Opcode.if, Opcode.notIf:
                    var value = false
                    if executing {
                        guard let top = stack.last else { throw .invalidStackOperation }
                        if version == .tapscript && (top.count > 1 || (top.count == 1 && top[0] != 1)) {
                            throw .tapscriptMinimalIf
                        }
                        if version == .witnessV0 && flags.contains(.minimalIf) && (top.count > 1 || (top.count == 1 && top[0] != 1)) {
                            throw .minimalIf
                        }
                        value = castToBool(top) != (opcode == Opcode.notIf)
                        stack.removeLast()
                    }
                    conditions.push(value)

                case Opcode.else:
                    if conditions.isEmpty { throw .unbalancedConditional }
                    conditions.toggleTop()

                case Opcode.endIf:
                    if conditions.isEmpty { throw .unbalancedConditional }
                    conditions.pop()

                case Opcode.verify:
                    try require(1)
                    guard castToBool(stack[stack.count - 1]) else { throw .verify }
                    stack.removeLast()

                case Opcode.return:
                    throw .opReturn

                case Opcode.toAltStack:
                    try require(1)
                    altStack.append(stack.removeLast())

                case Opcode.fromAltStack:
                    guard let value = altStack.popLast() else { throw .invalidAltstackOperation }
                    stack.append(value)

                case Opcode.twoDrop:
                    try require(2)
                    stack.removeLast(2)

                case Opcode.twoDup:
                    try require(2)
                    stack.append(stack[stack.count - 2])
                    stack.append(stack[stack.count - 2])

                case Opcode.threeDup:
                    try require(3)
                    stack.append(stack[stack.count - 3])
                    stack.append(stack[stack.count - 3])
                    stack.append(stack[stack.count - 3])

                case Opcode.twoOver:
                    try require(4)
                    stack.append(stack[stack.count - 4])
                    stack.append(stack[stack.count - 4])

                case Opcode.twoRot:
                    try require(6)
                    let first = stack[stack.count - 6], second = stack[stack.count - 5]
                    stack.removeSubrange(stack.count - 6..<stack.count - 4)
                    stack.append(first)
                    stack.append(second)

                case Opcode.twoSwap:
                    try require(4)
                    stack.swapAt(stack.count - 4, stack.count - 2)
                    stack.swapAt(stack.count - 3, stack.count - 1)

                case Opcode.ifDup:
                    try require(1)
                    if castToBool(stack[stack.count - 1]) { stack.append(stack[stack.count - 1]) }

                case Opcode.depth:
                    stack.append(ScriptNumber.encode(Int64(stack.count)))

                case Opcode.drop:
                    try require(1)
                    stack.removeLast()

                case Opcode.dup:
                    try require(1)
                    stack.append(stack[stack.count - 1])

                case Opcode.nip:
                    try require(2)
                    stack.remove(at: stack.count - 2)

                case Opcode.over:
                    try require(2)
                    stack.append(stack[stack.count - 2])

                case Opcode.pick, Opcode.roll:
                    try require(2)
                    let n = ScriptNumber(try number(stack[stack.count - 1])).int32
                    stack.removeLast()
                    guard n >= 0, Int(n) < stack.count else { throw .invalidStackOperation }
                    let index = stack.count - 1 - Int(n)
                    let value = stack[index]
                    if opcode == Opcode.roll { stack.remove(at: index) }
                    stack.append(value)

                case Opcode.rot:
                    try require(3)
                    stack.swapAt(stack.count - 3, stack.count - 2)
                    stack.swapAt(stack.count - 2, stack.count - 1)

                case Opcode.swap:
                    try require(2)
                    stack.swapAt(stack.count - 2, stack.count - 1)

                case Opcode.tuck:
                    try require(2)
                    stack.insert(stack[stack.count - 1], at: stack.count - 2)

                case Opcode.size:
                    try require(1)
                    stack.append(ScriptNumber.encode(Int64(stack[stack.count - 1].count)))

                case Opcode.equal, Opcode.equalVerify:
                    try require(2)
                    let equal = stack[stack.count - 2] == stack[stack.count - 1]
                    stack.removeLast(2)
                    stack.append(equal ? trueValue : falseValue)
                    if opcode == Opcode.equalVerify {
                        guard equal else { throw .equalVerify }
                        stack.removeLast()
                    }

                case Opcode.add1, Opcode.sub1, Opcode.negate, Opcode.abs, Opcode.not, Opcode.notEqual0:
                    try require(1)
                    var value = try number(stack[stack.count - 1])
                    switch opcode {
                    case Opcode.add1: value += 1
                    case Opcode.sub1: value -= 1
                    case Opcode.negate: value = -value
                    case Opcode.abs: value = Swift.abs(value)
                    case Opcode.not: value = value == 0 ? 1 : 0
                    default: value = value != 0 ? 1 : 0
                    }
                    stack[stack.count - 1] = ScriptNumber.encode(value)

                case Opcode.add, Opcode.sub, Opcode.boolAnd, Opcode.boolOr, Opcode.numEqual, Opcode.numEqualVerify,
                    Opcode.numNotEqual, Opcode.lessThan, Opcode.greaterThan, Opcode.lessThanOrEqual,
                    Opcode.greaterThanOrEqual, Opcode.min, Opcode.max:
                    try require(2)
                    let a = try number(stack[stack.count - 2])
                    let b = try number(stack[stack.count - 1])
                    let result: Int64
                    switch opcode {
                    case Opcode.add: result = a + b
                    case Opcode.sub: result = a - b
                    case Opcode.boolAnd: result = a != 0 && b != 0 ? 1 : 0
                    case Opcode.boolOr: result = a != 0 || b != 0 ? 1 : 0
                    case Opcode.numEqual, Opcode.numEqualVerify: result = a == b ? 1 : 0
                    case Opcode.numNotEqual: result = a != b ? 1 : 0
                    case Opcode.lessThan: result = a < b ? 1 : 0
                    case Opcode.greaterThan: result = a > b ? 1 : 0
                    case Opcode.lessThanOrEqual: result = a <= b ? 1 : 0
                    case Opcode.greaterThanOrEqual: result = a >= b ? 1 : 0
                    case Opcode.min: result = Swift.min(a, b)
                    default: result = Swift.max(a, b)
                    }
                    stack.removeLast(2)
                    stack.append(ScriptNumber.encode(result))
                    if opcode == Opcode.numEqualVerify {
                        guard castToBool(stack[stack.count - 1]) else { throw .numEqualVerify }
                        stack.removeLast()
                    }

                case Opcode.within:
                    try require(3)
                    let x = try number(stack[stack.count - 3])
                    let low = try number(stack[stack.count - 2])
                    let high = try number(stack[stack.count - 1])
                    stack.removeLast(3)
                    stack.append(low <= x && x < high ? trueValue : falseValue)

                case Opcode.ripemd160, Opcode.sha1, Opcode.sha256, Opcode.hash160, Opcode.hash256:
                    try require(1)
                    let value = stack[stack.count - 1]
                    let digest: [UInt8]
                    switch opcode {
                    case Opcode.ripemd160: digest = Hashing.ripemd160(value)
                    case Opcode.sha1: digest = Array(Insecure.SHA1.hash(data: value))
                    case Opcode.sha256: digest = Hashing.sha256(value).bytes
                    case Opcode.hash160: digest = Hashing.hash160(value)
                    default: digest = Hashing.sha256d(value).bytes
                    }
                    stack[stack.count - 1] = digest

                case Opcode.codeSeparator:
                    codeHashStart = parser.position
                    execution.codeSeparatorPosition = opcodePosition

                case Opcode.checkSig, Opcode.checkSigVerify:
                    try require(2)
                    let success = try checkSignature(
                        signature: stack[stack.count - 2], publicKey: stack[stack.count - 1],
                        scriptCode: script[codeHashStart...], flags: flags, checker: checker, version: version,
                        execution: &execution)
                    stack.removeLast(2)
                    stack.append(success ? trueValue : falseValue)
                    if opcode == Opcode.checkSigVerify {
                        guard success else { throw .checkSigVerify }
                        stack.removeLast()
                    }

                case Opcode.checkSigAdd:
                    if version == .base || version == .witnessV0 { throw .badOpcode }
                    try require(3)
                    let accumulator = try number(stack[stack.count - 2])
                    let success = try checkSignature(
                        signature: stack[stack.count - 3], publicKey: stack[stack.count - 1],
                        scriptCode: script[codeHashStart...], flags: flags, checker: checker, version: version,
                        execution: &execution)
                    stack.removeLast(3)
                    stack.append(ScriptNumber.encode(accumulator + (success ? 1 : 0)))

                case Opcode.checkMultiSig, Opcode.checkMultiSigVerify:
                    if version == .tapscript { throw .tapscriptCheckMultiSig }
                    let success = try checkMultiSig(
                        stack: &stack, scriptCode: Array(script[codeHashStart...]), flags: flags, checker: checker,
                        version: version, opCount: &opCount, requireMinimal: requireMinimal)
                    stack.append(success ? trueValue : falseValue)
                    if opcode == Opcode.checkMultiSigVerify {
                        guard success else { throw .checkMultiSigVerify }
                        stack.removeLast()
                    }

                default:
                    throw .badOpcode
                }
            }
            if stack.count + altStack.count > maxStackSize { throw .stackSize }
        }
        if !conditions.isEmpty { throw .unbalancedConditional }
    }
}
