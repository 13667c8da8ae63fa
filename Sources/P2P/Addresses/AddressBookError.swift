import ByteCodec

/// Why saved address-manager bytes could not be loaded.
public enum AddressBookError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The bytes do not start with the address book's magic.
    case notAnAddressBook
    /// A format version this code does not read.
    case unsupportedVersion(UInt8)
    /// The trailing SHA-256 does not match the contents: damaged or truncated.
    case checksumMismatch
    /// The contents break the format (a count, length or field out of bounds).
    case malformed(DecodingError)
    /// Well-formed entries that cannot all be in the tables (an address twice, two in one slot).
    case inconsistent(String)

    public var description: String {
        switch self {
        case .notAnAddressBook: "not an address book"
        case let .unsupportedVersion(version): "address book version \(version), expected \(AddressBookFile.version)"
        case .checksumMismatch: "address book checksum mismatch"
        case let .malformed(error): "malformed address book: \(error)"
        case let .inconsistent(reason): "inconsistent address book: \(reason)"
        }
    }
}
