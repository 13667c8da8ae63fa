/// A consensus rule a transaction broke, with Bitcoin Core's reject reason as raw value.
public enum TransactionRuleError: String, Error, Sendable {
    case inputsEmpty = "bad-txns-vin-empty"
    case outputsEmpty = "bad-txns-vout-empty"
    case oversize = "bad-txns-oversize"
    case negativeOutput = "bad-txns-vout-negative"
    case outputTooLarge = "bad-txns-vout-toolarge"
    case outputTotalTooLarge = "bad-txns-txouttotal-toolarge"
    case duplicateInputs = "bad-txns-inputs-duplicate"
    case coinbaseScriptLength = "bad-cb-length"
    case nullPrevout = "bad-txns-prevout-null"
}
