import Foundation
import HDF5

/// Writes a `SweepSummary` as one HDF5 file whose dimensions are the sweep's axes (each with a coordinate
/// dimension scale) plus `layer`, readable by `xarray.open_dataset(path, engine="h5netcdf")`.
public enum SweepSummaryWriter {
    /// Written under a hidden name beside `path` and renamed to it once complete, so a kill leaves the previous
    /// summary or the new one at `path`, never a torn file (FORMAT.md, "after a crash").
    /// `killMidway` is a crash-test hook (`CONDENSE_KILL_IN_SUMMARY=1`, read by the CLI's `TestHooks`): SIGKILL to
    /// this process halfway through, its coordinates flushed and its variables not yet written.
    public static func write(_ s: SweepSummary, to path: String, killMidway: Bool = false) throws {
        let file = try H5File.create(path, mode: .truncate, publishingLater: true)
        do {
            try fill(file, s, killMidway: killMidway)
            try file.flush()
            try file.publish()
            try file.close()
        } catch {
            file.closeRemovingFile()
            throw error
        }
    }

    private static func fill(_ file: H5File, _ s: SweepSummary, killMidway: Bool) throws {
        let root = file.root
        try root.setAttribute("format", SweepSummaryFormat.name)
        try root.setAttribute("format_version", SweepSummaryFormat.version)
        try root.setAttribute("creator", "condense \(RunFileFormat.toolVersion)")
        try root.setAttribute("created_utc", UTCTimestamp.string())
        try root.setAttribute("sweep", s.name)
        try root.setAttribute("missing_values", "float NaN, int -1, string \"\"; see status and reason")

        let axes = s.axes.isEmpty
            ? [SweepSummary.Axis(name: SweepSummaryFormat.runDim, values: .int([0]))] : s.axes
        var scales: [H5Dataset] = []
        var companions: [String] = []
        for axis in axes {
            let scale = try writeCoordinate(axis.values, name: axis.name, in: root)
            try scale.makeDimensionScale(axis.name)
            scales.append(scale)
        }
        for (k, axis) in axes.enumerated() {
            for c in axis.companions {
                let d = try writeCoordinate(c.values, name: c.name, in: root)
                try d.attach(scale: scales[k], toDimension: 0)
                companions.append(c.name)
            }
        }
        if killMidway { try file.flush(); kill(getpid(), SIGKILL) }
        let layer = try root.write(SweepSummaryFormat.layerDim, s.layers)
        try layer.makeDimensionScale(SweepSummaryFormat.layerDim)

        let shape = axes.map(\.size)
        let coordinateNote = companions.joined(separator: " ")
        func attach(_ d: H5Dataset, _ dims: [Int], layered: Bool, _ meaning: String) throws {
            for (i, k) in dims.enumerated() { try d.attach(scale: scales[k], toDimension: i) }
            if layered { try d.attach(scale: layer, toDimension: dims.count) }
            try d.setAttribute("long_name", meaning)
            if !coordinateNote.isEmpty { try d.setAttribute("coordinates", coordinateNote) }
        }
        let all = Array(axes.indices)
        let perLayer = shape + [s.layers.count]
        try attach(try root.write("run_id", s.runID, shape: shape), all, layered: false, "run identifier (directory runs/<id>)")
        try attach(try root.write("status", s.status, shape: shape), all, layered: false, "pending, running, done, failed")
        try attach(try root.write("reason", s.reason, shape: shape), all, layered: false, "why the values are missing (empty when present)")
        try attach(try root.write("final_loss", s.finalLoss, shape: shape), all, layered: false, "training loss at the last snapshot")
        let ints: [(String, [Int64], String)] = [
            ("initial_orientations", s.initialOrientations, "condensed orientations at the start of the initial stage (-1: never condensed or missing)"),
            ("initial_lines", s.initialLines, "condensed lines at the start of the initial stage"),
            ("final_orientations", s.finalOrientations, "condensed orientations at the last snapshot"),
            ("final_lines", s.finalLines, "condensed lines at the last snapshot"),
        ]
        for (name, values, meaning) in ints {
            try attach(try root.write(name, values, shape: perLayer), all, layered: true, meaning)
        }
        try attach(try root.write("effective_ratio", s.effectiveRatio, shape: perLayer), all, layered: true, "m_eff/m at the last snapshot (upper bound)")
        try attach(try root.write("relative_distance", s.relativeDistance, shape: perLayer), all, layered: true, "RD = |W(T)-W(0)|/|W(0)| of the layer's input weights at the last snapshot")
        try attach(try root.write("verdict", s.verdict, shape: perLayer), all, layered: true, "verdict against 2p at the last snapshot")
        try attach(try root.write("initial_verdict", s.initialVerdict, shape: perLayer), all, layered: true, "verdict at the start of the initial stage")

        if let p = s.phaseDiagram {
            let dims = p.axes.isEmpty ? [] : p.axes
            let pshape = dims.map { axes[$0].size }
            func put(_ name: String, _ d: H5Dataset, _ meaning: String) throws {
                for (i, k) in dims.enumerated() { try d.attach(scale: scales[k], toDimension: i) }
                try d.setAttribute("long_name", meaning)
                try d.setAttribute("width_axis", p.widthAxis)
                try d.setAttribute("tolerance", p.tolerance)
            }
            try put("rd_slope", try root.write("rd_slope", p.slope, shape: pshape),
                    "S_w: least-squares slope of log RD(layer_1) against log width over every done run")
            try put("rd_slope_error", try root.write("rd_slope_error", p.slopeError, shape: pshape),
                    "standard error of S_w (NaN with fewer than 3 points)")
            try put("rd_slope_points", try root.write("rd_slope_points", p.points, shape: pshape), "runs in the fit")
            try put("regime", try root.write("regime", p.regime, shape: pshape),
                    "linear (S_w < -tolerance), critical (|S_w| <= tolerance), condensed (S_w > tolerance)")
        }
    }

    private static func writeCoordinate(_ c: SweepSummary.Coordinate, name: String, in g: H5Group) throws -> H5Dataset {
        switch c {
        case .float(let v): return try g.write(name, v)
        case .int(let v): return try g.write(name, v)
        case .string(let v): return try g.write(name, v)
        }
    }
}

extension H5Group {
    /// A string dataset of the given shape (the one-shot writer is 1-D).
    fileprivate func write(_ name: String, _ data: [String], shape: [Int]) throws -> H5Dataset {
        let d = try createDataset(name, type: .string, shape: shape)
        try d.write(data)
        return d
    }
}
