// swift-tools-version:6.0
// Benchmark runner for the orientation clustering. The main package has no library product for
// `Analysis`, so this package builds the same sources through the symlinks under Sources/
// (Analysis and the modules it depends on, mirroring the main Package.swift). Once the main package exports
// `.library(name: "CondenseAnalysis", targets: ["Analysis"])`, replace them by
// `.package(path: "../../../..")` and `.product(name: "CondenseAnalysis", package: "main")`.
import PackageDescription

let package = Package(
    name: "cluster-runner",
    targets: [
        .systemLibrary(name: "CBLAS", path: "Sources/CBLAS", pkgConfig: "openblas"),
        .systemLibrary(name: "CHDF5", path: "Sources/CHDF5", pkgConfig: "hdf5"),
        .target(name: "HDF5", dependencies: ["CHDF5"], path: "Sources/HDF5", exclude: ["README.md"]),
        .target(name: "RunFormat", dependencies: ["HDF5"], path: "Sources/RunFormat",
                exclude: ["README.md", "FORMAT.md"]),
        .target(name: "Theory", path: "Sources/Theory", exclude: ["README.md"]),
        .target(name: "Model", dependencies: ["LinearAlgebra", "Theory"], path: "Sources/Model", exclude: ["README.md"]),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS"], path: "Sources/LinearAlgebra",
                exclude: ["README.md"]),
        .target(name: "Analysis", dependencies: ["LinearAlgebra", "RunFormat", "Model"], path: "Sources/Analysis",
                exclude: ["README.md"]),
        .executableTarget(name: "cluster-runner", dependencies: ["Analysis", "LinearAlgebra"],
                          path: "Sources/cluster-runner"),
    ],
    swiftLanguageModes: [.v5]
)
