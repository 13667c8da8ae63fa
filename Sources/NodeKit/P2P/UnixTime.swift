import Foundation

/// The wall clock in Unix seconds, as the P2P side records and compares times (bans, the
/// address book, connection times).
enum UnixTime {
    static var now: Int64 { Int64(Date().timeIntervalSince1970) }
}
