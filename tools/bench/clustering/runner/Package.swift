// swift-tools-version:6.0
// Benchmark runner for the orientation clustering, built against the main package's `CondenseAnalysis` library.
// The main package is reached through the link `condense` -> the repository root, so that its identity here is
// "condense" whatever the checkout's directory is called.
import PackageDescription

let package = Package(
    name: "cluster-runner",
    dependencies: [.package(path: "condense")],
    targets: [
        .executableTarget(name: "cluster-runner",
                          dependencies: [.product(name: "CondenseAnalysis", package: "condense")],
                          path: "Sources/cluster-runner"),
    ],
    swiftLanguageModes: [.v5]
)
