// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "condense",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "condense", targets: ["CondenseCLI"]),
        // For other Swift code (and tools/bench/clustering/runner): the orientation analysis and the run-file layout.
        .library(name: "CondenseAnalysis", targets: ["Analysis"]),
        .library(name: "CondenseRunFormat", targets: ["RunFormat"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // C is seen only in these system-library targets (a modulemap and a shim header each).
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5",
                       providers: [.apt(["libhdf5-dev"])]),
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas",
                       providers: [.apt(["libopenblas-dev", "liblapacke-dev"])]),
        // Inline vector square roots without errno (see its shim.h); no library to link.
        .systemLibrary(name: "CVectorMath", path: "Sources/CVectorMath"),
        // zlib: gzip IDX files and deflated .npz members.
        .systemLibrary(name: "CZlib", path: "Sources/CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),

        // Every module has a README.md (and RunFormat its FORMAT.md) beside its sources: documentation, not resources.
        .target(name: "HDF5", dependencies: ["CHDF5"], exclude: ["README.md"]),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "CVectorMath"], exclude: ["README.md"]),
        .target(name: "Theory", exclude: ["README.md"]),
        .target(name: "Model", dependencies: ["LinearAlgebra", "Theory"], exclude: ["README.md"]),
        .target(name: "RunFormat", dependencies: ["HDF5"], exclude: ["README.md", "FORMAT.md"]),
        .target(name: "Training", dependencies: ["Model", "LinearAlgebra", "RunFormat", "HDF5", "CZlib"], exclude: ["README.md"]),
        .target(name: "Analysis", dependencies: ["LinearAlgebra", "RunFormat", "Model"], exclude: ["README.md"]),
        .target(name: "Propagation", dependencies: ["Model", "Theory", "LinearAlgebra", "RunFormat"],
                exclude: ["README.md"]),
        .target(name: "Sweep", dependencies: ["RunFormat", "Analysis"], exclude: ["README.md"]),
        .target(name: "Reproduce", dependencies: ["Sweep", "Analysis", "RunFormat", "Model", "Propagation", "Theory"],
                exclude: ["README.md"]),
        .executableTarget(name: "CondenseCLI", dependencies: [
            "Training", "RunFormat", "Model", "Analysis", "Theory", "Propagation", "Sweep", "Reproduce",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ], exclude: ["README.md"]),

        .testTarget(name: "HDF5Tests", dependencies: ["HDF5"]),
        .testTarget(name: "LinearAlgebraTests", dependencies: ["LinearAlgebra"]),
        .testTarget(name: "TheoryTests", dependencies: ["Theory"]),
        .testTarget(name: "ModelTests", dependencies: ["Model"]),
        .testTarget(name: "RunFormatTests", dependencies: ["RunFormat", "HDF5"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training"]),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "CondenseCLITests", dependencies: ["CondenseCLI", "RunFormat", "Sweep", "HDF5", "Training"]),
        .testTarget(name: "PropagationTests", dependencies: ["Propagation", "Model", "Theory", "RunFormat"]),
        .testTarget(name: "SweepTests", dependencies: ["Sweep", "RunFormat"]),
        .testTarget(name: "ReproduceTests", dependencies: ["Reproduce", "Sweep", "RunFormat", "HDF5"]),
    ],
    swiftLanguageModes: [.v5]
)
