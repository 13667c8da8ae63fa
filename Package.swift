// swift-tools-version:6.1
// The Rusty Coin full node. Targets follow the layering in Docs/Architecture.md:
// a target imports only targets of lower layers.
import PackageDescription

let strictSwift6: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
]

let package = Package(
    name: "RustyCoin",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "rustyd", targets: ["rustyd"]),
        .executable(name: "rusty-bench", targets: ["rusty-bench"]),
        .executable(name: "rusty-verify", targets: ["rusty-verify"]),
        .executable(name: "rusty-cli", targets: ["rusty-cli"]),
        .library(name: "Script", targets: ["Script"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.6.0"),
    ],
    targets: [
        // L0: system libraries and pure codecs
        .systemLibrary(
            name: "CSecp256k1", path: "Sources/CSecp256k1", pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]),
        .systemLibrary(
            name: "CRocksDB", path: "Sources/CRocksDB", pkgConfig: "rocksdb",
            providers: [.apt(["librocksdb-dev"])]),
        .systemLibrary(
            name: "COpenSSLCrypto", path: "Sources/COpenSSLCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .target(name: "ByteCodec", swiftSettings: strictSwift6),
        .target(name: "JSONRPC", swiftSettings: strictSwift6),
        .target(name: "IPAddressing", swiftSettings: strictSwift6),

        // L1: hashing, keys, signatures
        .target(
            name: "ChainCrypto",
            dependencies: [
                "ByteCodec", "CSecp256k1", "COpenSSLCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: strictSwift6),

        // L1: storage abstraction
        .target(name: "Storage", dependencies: ["ByteCodec"], swiftSettings: strictSwift6),

        // L2: transactions, blocks
        .target(name: "ChainTypes", dependencies: ["ByteCodec", "ChainCrypto"], swiftSettings: strictSwift6),

        // L2: RocksDB implementation of Storage
        .target(name: "StorageRocksDB", dependencies: ["Storage", "CRocksDB"], swiftSettings: strictSwift6),

        // L3: network parameters, script interpreter
        .target(name: "ChainParams", dependencies: ["ByteCodec", "ChainCrypto", "ChainTypes"], swiftSettings: strictSwift6),
        .target(name: "Script", dependencies: ["ByteCodec", "ChainCrypto", "ChainTypes"], swiftSettings: strictSwift6),

        // L4: stateless consensus rules
        .target(name: "Consensus", dependencies: ["ChainCrypto", "ChainTypes", "ChainParams", "Script"], swiftSettings: strictSwift6),

        // L5: chain state and block assembly
        .target(
            name: "ChainState",
            dependencies: [
                "BlockFilters", "ByteCodec", "ChainCrypto", "ChainTypes", "ChainParams", "Consensus", "Mining", "Script", "Storage",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift6),
        .target(
            name: "Mining",
            dependencies: [
                "ChainCrypto", "ChainParams", "ChainTypes", "Consensus", "Script", .product(name: "HeapModule", package: "swift-collections"),
            ],
            swiftSettings: strictSwift6),
        // L5: the UTXO mempool and relay policy (reads the chain through a protocol it declares)
        .target(
            name: "Mempool",
            dependencies: [
                "ByteCodec", "ChainCrypto", "ChainTypes", "Consensus", "Script", .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "Metrics", package: "swift-metrics"),
            ],
            swiftSettings: strictSwift6),

        // L4: the P2P wire protocol's message formats (pure, no I/O)
        .target(name: "P2PWire", dependencies: ["ByteCodec", "ChainCrypto", "ChainTypes"], swiftSettings: strictSwift6),

        // L4: BIP158 compact block filters
        .target(name: "BlockFilters", dependencies: ["ByteCodec", "ChainCrypto", "ChainTypes"], swiftSettings: strictSwift6),

        // L4: addresses and keys in their per-network text forms
        .target(
            name: "Addresses", dependencies: ["ByteCodec", "ChainCrypto", "ChainParams", "Script"],
            swiftSettings: strictSwift6),

        // L5: the P2P transport on SwiftNIO and the peer state machines
        .target(
            name: "P2P",
            dependencies: [
                "ByteCodec", "ChainCrypto", "IPAddressing", "P2PWire", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"), .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6),

        // L5: JSON-RPC over HTTP (the only library with NIO besides P2P and NodeKit)
        .target(
            name: "RPCServer",
            dependencies: [
                "JSONRPC", "ByteCodec", "ChainCrypto", "IPAddressing",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOWebSocket", package: "swift-nio"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6),

        // L5: the client side of JSON-RPC for rusty-cli and tests (POSIX sockets, no NIO)
        .target(name: "RPCClient", dependencies: ["JSONRPC", "ChainParams"], swiftSettings: strictSwift6),

        // L7: RPC method handlers
        .target(
            name: "NodeRPC",
            dependencies: [
                "Addresses", "ByteCodec", "ChainCrypto", "ChainParams", "ChainState", "ChainTypes", "Consensus", "JSONRPC", "Mempool", "Mining", "Script",
            ],
            swiftSettings: strictSwift6),

        // L6: sync and relay over peers (talks to peers through `PeerNetwork`, never imports P2P)
        .target(name: "NetSync", dependencies: ["ChainCrypto", "ChainTypes", "Mempool", "P2PWire"], swiftSettings: strictSwift6),

        // L8: composition root
        .target(
            name: "NodeKit",
            dependencies: [
                "ChainCrypto", "ChainParams", "ChainState", "IPAddressing", "JSONRPC", "Mempool", "NetSync", "NodeRPC", "P2P", "P2PWire", "RPCClient",
                "RPCServer", "Script",
                "StorageRocksDB", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSwift6),

        // Executables
        .executableTarget(
            name: "rustyd",
            dependencies: [
                "NodeKit", .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            swiftSettings: strictSwift6),
        .executableTarget(
            name: "rusty-bench",
            dependencies: [
                "Addresses", "ByteCodec", "ChainCrypto", "ChainParams", "ChainState", "ChainTypes", "JSONRPC", "Mempool", "Mining", "NodeRPC",
                "RPCClient", "RPCServer", "Script", "StorageRocksDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSwift6),
        .executableTarget(name: "rusty-cli", dependencies: ["RPCClient"], swiftSettings: strictSwift6),
        .executableTarget(
            name: "rusty-verify",
            dependencies: ["ByteCodec", "ChainParams", "ChainState", "ChainTypes", "Mining", "Script", "Storage"],
            swiftSettings: strictSwift6),

        // Tests
        .target(
            name: "TestSupport", dependencies: [.product(name: "Crypto", package: "swift-crypto")], path: "Tests/TestSupport",
            swiftSettings: strictSwift6),
        .testTarget(name: "ByteCodecTests", dependencies: ["ByteCodec", "TestSupport"], swiftSettings: strictSwift6),
        .testTarget(
            name: "ChainCryptoTests", dependencies: ["ChainCrypto", "ByteCodec", "CRocksDB", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSwift6),
        .testTarget(
            name: "ChainTypesTests", dependencies: ["ChainTypes", "ChainParams", "Consensus", "ByteCodec", "TestSupport"],
            swiftSettings: strictSwift6),
        .testTarget(
            name: "ScriptTests", dependencies: ["Script", "Consensus", "ChainTypes", "ChainCrypto", "ByteCodec", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSwift6),
        .testTarget(name: "JSONRPCTests", dependencies: ["JSONRPC", "TestSupport"], swiftSettings: strictSwift6),
        .testTarget(name: "RPCClientTests", dependencies: ["RPCClient", "JSONRPC", "ChainParams"], swiftSettings: strictSwift6),
        .testTarget(
            name: "RPCServerTests",
            dependencies: ["RPCServer", "RPCClient", "JSONRPC", "ChainParams", "IPAddressing", "TestSupport"],
            swiftSettings: strictSwift6),
        .testTarget(
            name: "ChainStateTests",
            dependencies: [
                "BlockFilters", "ChainState", "ChainParams", "ChainTypes", "ChainCrypto", "Consensus", "Mining", "Script", "Storage", "StorageRocksDB",
                "TestSupport",
            ],
            swiftSettings: strictSwift6),
        .testTarget(
            name: "NodeProcessTests",
            dependencies: ["rustyd", "Addresses", "ChainCrypto", "ChainParams", "ChainState", "ChainTypes", "JSONRPC", "Mining", "RPCClient", "P2PWire", "Script", "Storage", "TestSupport"],
            swiftSettings: strictSwift6),
        .testTarget(
            name: "P2PWireTests", dependencies: ["P2PWire", "ByteCodec", "ChainCrypto", "ChainParams", "ChainTypes", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSwift6),
        .testTarget(
            name: "BlockFiltersTests", dependencies: ["BlockFilters", "ByteCodec", "ChainCrypto", "ChainTypes", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSwift6),
        .testTarget(
            name: "P2PTests",
            dependencies: [
                "P2P", "P2PWire", "ChainCrypto", "IPAddressing", "ChainParams", "ChainTypes", .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            swiftSettings: strictSwift6),
        .testTarget(name: "NetSyncTests", dependencies: ["NetSync", "Mempool", "P2PWire", "ChainCrypto", "ChainTypes"], swiftSettings: strictSwift6),
        .testTarget(name: "NodeKitTests", dependencies: ["NodeKit", "Mempool"], swiftSettings: strictSwift6),
        .testTarget(name: "StorageTests", dependencies: ["ByteCodec", "Storage", "StorageRocksDB"], swiftSettings: strictSwift6),
        .testTarget(name: "MempoolTests", dependencies: ["ByteCodec", "ChainCrypto", "ChainTypes", "Mempool", "Script", "TestSupport"], swiftSettings: strictSwift6),
        .testTarget(name: "MiningTests", dependencies: ["ChainCrypto", "ChainTypes", "Mining"], swiftSettings: strictSwift6),
        .testTarget(
            name: "ConsensusTests", dependencies: ["Consensus", "ChainParams", "ChainTypes", "ChainCrypto", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSwift6),
        .testTarget(
            name: "NodeRPCTests",
            dependencies: [
                "NodeRPC", "JSONRPC", "Mempool", "ChainState", "ChainTypes", "ChainParams", "ChainCrypto", "Mining", "Script", "Addresses", "ByteCodec",
                "Storage", "TestSupport",
            ],
            resources: [.copy("Fixtures")], swiftSettings: strictSwift6),
        .testTarget(
            name: "AddressesTests",
            dependencies: ["Addresses", "ChainParams", "ChainCrypto", "ByteCodec", "TestSupport"],
            resources: [.copy("Fixtures")], swiftSettings: strictSwift6),
    ]
)
