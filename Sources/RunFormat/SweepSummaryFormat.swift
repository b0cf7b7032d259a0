import Foundation
import HDF5

/// Names and version of the sweep summary layout (FORMAT.md, "The sweep summary file").
public enum SweepSummaryFormat {
    public static let name = "condense.sweep_summary"
    public static let version = "1.0"
    public static let layerDim = "layer"
    /// The dimension of a sweep without axes (its one run).
    public static let runDim = "run"
}
