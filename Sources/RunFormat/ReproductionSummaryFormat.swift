import Foundation
import HDF5

/// Names and version of the reproduction summary layout.
public enum ReproductionSummaryFormat {
    public static let name = "condense.reproduce_summary"
    public static let version = "1.0"
    public static let claimDim = "claim"
    public static let seedDim = "seed"
}
