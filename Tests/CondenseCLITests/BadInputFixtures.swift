import Foundation
import HDF5
import XCTest

/// The files the bad-input corpus points at, made once per test class in one directory (the cases run there, so
/// they name the files by relative paths): a good run, run files damaged in every way the readers check, data
/// files (CSV and HDF5), sweep files and sweep directories, directories, FIFOs and unreadable files.
enum BadInputFixtures {
    /// Builds every fixture in `dir` (which exists and is empty). Trains one small run (about a second).
    static func make(in dir: String) throws {
        func path(_ name: String) -> String { dir + "/" + name }
        func write(_ name: String, _ text: String) throws { try text.write(toFile: path(name), atomically: false, encoding: .utf8) }
        func write(_ name: String, bytes: Data) { _ = FileManager.default.createFile(atPath: path(name), contents: bytes) }

        // A good run: 5-50-1 tanh, 10 steps, 11 snapshots.
        let r = try CondenseProcess.run(["train", "-o", path("good.h5"), "--steps", "10", "--snapshots", "every:1", "-q"])
        guard r.status == 0 else { throw XCTSkip("could not train the fixture run: \(r.stderr)") }
        let good = try Data(contentsOf: URL(fileURLWithPath: path("good.h5")))

        // Run files damaged on the byte level.
        write("empty.h5", bytes: Data())
        try write("text.h5", "this is not an HDF5 file\n")
        write("trunc.h5", bytes: good.prefix(2048))
        write("half.h5", bytes: good.prefix(good.count / 2))
        var superblock = good
        for i in 8..<96 { superblock[i] = 0xFF }
        write("superblock.h5", bytes: superblock)
        var signature = Data([0x89, 0x48, 0x44, 0x46, 0x0D, 0x0A, 0x1A, 0x0A])
        var generator = SystemRandomNumberGenerator()
        signature.append(contentsOf: (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) })
        write("garbage.h5", bytes: signature)

        // Run files in the wrong layout (written with the HDF5 module).
        func h5(_ name: String, _ body: (H5Group) throws -> Void) throws {
            let f = try H5File.create(path(name), mode: .truncate)
            try body(f.root)
            try f.close()
        }
        func runHeader(_ root: H5Group, version: String = "1.0") throws {
            try root.setAttribute("format", "condense.run")
            try root.setAttribute("format_version", version)
        }
        try h5("other.h5") { _ = try $0.write("x", [1.0, 2.0]) }
        try h5("future.h5") { try runHeader($0, version: "2.0") }
        try h5("noversion.h5") { try $0.setAttribute("format", "condense.run") }
        try h5("wrongformat.h5") { try $0.setAttribute("format", "something.else"); try $0.setAttribute("format_version", "1.0") }
        try h5("nolayers.h5") { try runHeader($0) }
        try h5("weights2d.h5") { root in
            try runHeader(root)
            _ = try root.createGroup("layers").createGroup("layer_1").write("weights", [Double](repeating: 0, count: 6), shape: [2, 3])
        }
        try h5("missinglayer.h5") { root in
            try runHeader(root)
            try root.createGroup("layers").setAttribute("order", ["layer_1"])
        }
        try h5("noweights.h5") { root in
            try runHeader(root)
            _ = try root.createGroup("layers").createGroup("layer_1")
        }
        try h5("badkind.h5") { root in
            try runHeader(root)
            let g = try root.createGroup("layers").createGroup("layer_1")
            try g.setAttribute("kind", "weird")
            _ = try g.write("weights", [Double](repeating: 0.5, count: 12), shape: [2, 2, 3])
        }
        try h5("badwidth.h5") { root in
            try runHeader(root)
            let g = try root.createGroup("layers").createGroup("layer_1")
            try g.setAttribute("width", Int64(7))
            _ = try g.write("weights", [Double](repeating: 0.5, count: 12), shape: [2, 2, 3])
        }
        // Foreign files in the documented layout but with nothing to analyze / re-run.
        try h5("nosnapshots.h5") { root in
            try runHeader(root)
            _ = try root.createGroup("layers").createGroup("layer_1").write("weights", [Double](), shape: [0, 4, 3])
        }
        try h5("noconfig.h5") { root in
            try runHeader(root)
            _ = try root.createGroup("layers").createGroup("layer_1").write("weights", [Double](repeating: 0.5, count: 24), shape: [2, 4, 3])
        }
        try h5("onlyreadout.h5") { root in
            try runHeader(root)
            let g = try root.createGroup("layers").createGroup("readout")
            try g.setAttribute("kind", "readout")
            _ = try g.write("weights", [Double](repeating: 0.5, count: 6), shape: [2, 1, 3])
        }
        // Copies of the good run, damaged inside.
        func damaged(_ name: String, _ body: (H5Group) throws -> Void) throws {
            try good.write(to: URL(fileURLWithPath: path(name)))
            let f = try H5File.open(path(name), writable: true)
            try body(f.root)
            try f.close()
        }
        try damaged("shortweights.h5") { try $0.openGroup("layers").openGroup("layer_1").openDataset("weights").extend(to: [5, 50, 6]) }
        try damaged("decreasing.h5") { try $0.openDataset("step").writeSlab([Int64(1)], start: [5], count: [1]) }
        try damaged("negativestep.h5") { try $0.openDataset("step").writeSlab([Int64(-3)], start: [0], count: [1]) }
        try damaged("shortloss.h5") { try $0.openDataset("train_loss").extend(to: [3]) }
        try damaged("badconfig.h5") { try $0.setAttribute("config", "{this is not json") }
        try damaged("nooptimizer.h5") { try $0.remove("optimizer") }
        try damaged("nodata.h5") { try $0.remove("data") }
        try damaged("badactivation.h5") { root in
            try root.setAttribute("config", (try root.stringAttribute("config")).replacingOccurrences(of: "\"tanh\"", with: "\"swoosh\""))
        }

        // Directories, FIFOs, unreadable files.
        try FileManager.default.createDirectory(atPath: path("adir"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: path("adir.h5"), withIntermediateDirectories: false)
        try FileManager.default.createDirectory(atPath: path("adir.csv"), withIntermediateDirectories: false)
        for name in ["fifo.h5", "fifo.csv", "fifo.json", "fifo"] { guard mkfifo(path(name), 0o600) == 0 else { throw XCTSkip("mkfifo failed") } }
        try write("secret.csv", "x,y\n1,2\n")
        try write("secret.json", #"{"options": {"steps": 5}}"#)
        chmod(path("secret.csv"), 0)
        chmod(path("secret.json"), 0)
        try good.write(to: URL(fileURLWithPath: path("readonly.h5")))
        chmod(path("readonly.h5"), 0o444)

        // CSV data.
        RealDataFixtures.make(in: dir)
        try write("good.csv", "x1,x2,y\n1,2,3\n4,5,6\n7,8,9\n")
        try write("ragged.csv", "1,2,3\n4,5\n6,7,8\n")
        try write("nonnum.csv", "x,y\n1,2\n3,abc\n")
        try write("emptycell.csv", "x,y\n1,\n3,4\n")
        try write("nan.csv", "1,2\nnan,4\n")
        try write("inf.csv", "1,2\n3,inf\n")
        try write("bigexp.csv", "1,2\n3,1e999\n")
        try write("empty.csv", "")
        try write("blank.csv", "\n   \n# only a comment\n\n")
        try write("header.csv", "x,y\n")
        try write("onecol.csv", "1\n2\n3\n")
        try write("threecols.csv", "1,2,3\n4,5,6\n")
        try write("twocols.csv", "1,2\n3,4\n")
        write("latin1.csv", bytes: Data("x,y\n1,2\n".utf8) + Data([0xE9, 0x2C, 0x33, 0x0A]))
        write("binary.csv", bytes: Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]))
        write("nul.csv", bytes: Data("1,2\n3,\0\n".utf8))
        write("hugeline.csv", bytes: Data("x,y\n1,2\n".utf8) + Data(repeating: UInt8(ascii: "7"), count: 3 << 20) + Data(",1\n".utf8))
        // The issue's case: a 1 GiB line (sparse: NUL bytes that take no disk), once > 60 s and 2 GB of memory.
        try write("gigaline.csv", "x,y\n")
        guard truncate(path("gigaline.csv"), 1 << 30) == 0 else { throw XCTSkip("cannot make a sparse file") }
        try write("hugecell.csv", "x,y\n1,2\n3," + String(repeating: "z", count: 500_000) + "\n")
        try write("longheader.csv", "x," + String(repeating: "h", count: 100_000) + "\n1,zz\n")
        try write("quoted.csv", "\"x\",\"y\"\n\"1\",\"two\"\n")
        try write("semicolon.csv", "1;2\n3;x\n")

        // HDF5 data.
        try h5("data-mismatch.h5") { root in
            _ = try root.write("x", [1.0, 2, 3, 4, 5, 6], shape: [3, 2])
            _ = try root.write("y", [1.0, 2], shape: [2])
        }
        try h5("data-3d.h5") { root in
            _ = try root.write("x", [Double](repeating: 1, count: 8), shape: [2, 2, 2])
            _ = try root.write("y", [1.0, 2], shape: [2])
        }
        try h5("data-noy.h5") { root in _ = try root.write("x", [1.0, 2], shape: [2]) }
        try h5("data-nan.h5") { root in
            _ = try root.write("x", [1.0, .nan], shape: [2])
            _ = try root.write("y", [1.0, 2], shape: [2])
        }
        try h5("data-empty.h5") { root in
            _ = try root.write("x", [Double](), shape: [0, 2])
            _ = try root.write("y", [Double](), shape: [0])
        }
        try h5("data-strings.h5") { root in
            _ = try root.write("x", ["a", "b"])
            _ = try root.write("y", [1.0, 2], shape: [2])
        }

        // Sweep files.
        let sweeps: [String: String] = [
            "sweep-good.json": #"{"name": "g", "options": {"steps": 5, "hidden": 4}, "seeds": 2}"#,
            "sweep-truncated.json": #"{"options": {"steps": 10},"#,
            "sweep-array.json": "[1, 2]",
            "sweep-empty.json": "",
            "sweep-unknownkey.json": #"{"option": {"steps": 10}}"#,
            "sweep-unknownoption.json": #"{"options": {"widht": 3}}"#,
            "sweep-unknownaxisoption.json": #"{"axes": [{"option": "gama", "values": [1, 2]}]}"#,
            "sweep-badvalue.json": #"{"axes": [{"option": "lr", "values": [0.1, -1]}]}"#,
            "sweep-badactivation.json": #"{"axes": [{"option": "activation", "values": ["relu", "swoosh"]}]}"#,
            "sweep-reserved.json": #"{"options": {"output": "x.h5"}}"#,
            "sweep-resume.json": #"{"options": {"resume": "x.h5"}}"#,
            "sweep-conflict.json": #"{"options": {"lr": 0.1}, "axes": [{"option": "lr", "values": [0.1, 0.2]}]}"#,
            "sweep-zipmismatch.json": #"{"axes": [{"zip": [{"option": "lr", "values": [1, 2]}, {"option": "steps", "values": [5]}]}]}"#,
            "sweep-emptyaxis.json": #"{"axes": [{"option": "hidden", "values": []}]}"#,
            "sweep-emptyseeds.json": #"{"seeds": []}"#,
            "sweep-negativeseeds.json": #"{"seeds": -3}"#,
            "sweep-hugeseeds.json": #"{"seeds": 100000000000}"#,
            "sweep-hugegrid.json": "{\"axes\": [{\"option\": \"lr\", \"values\": [" + (1...1200).map { "\(Double($0) * 1e-4)" }.joined(separator: ",")
                + "]}, {\"option\": \"hidden\", \"values\": [" + (1...1000).map(String.init).joined(separator: ",") + "]}]}",
            "sweep-repeated.json": #"{"axes": [{"option": "lr", "values": [0.1, 0.1]}]}"#,
            "sweep-axisnotobject.json": #"{"axes": [3]}"#,
            "sweep-valuesnotlist.json": #"{"axes": [{"option": "lr", "values": 0.1}]}"#,
            "sweep-optionsnotobject.json": #"{"options": [1]}"#,
            "sweep-namenotstring.json": #"{"name": 3}"#,
            "sweep-seedsstring.json": #"{"seeds": "three"}"#,
            "sweep-twoaxesname.json": #"{"axes": [{"option": "lr", "values": [0.1], "name": "a"}, {"option": "steps", "values": [5], "name": "a"}]}"#,
            "sweep-deep.json": String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000),
            "sweep-badexpression.json": #"{"options": {"activation": "tanh(tanh(x)"}}"#,
            "sweep-missingdata.json": #"{"options": {"data": "no-such.csv"}}"#,
            "sweep-gamma.json": #"{"options": {"gamma": 1e308}}"#,
        ]
        for (name, text) in sweeps { try write(name, text) }
        write("sweep-latin1.json", bytes: Data([0x7B, 0x22, 0x6E, 0x61, 0x6D, 0x65, 0x22, 0x3A, 0x22, 0xE9, 0x22, 0x7D]))

        // Sweep directories: a planned one (no run started), an empty one, damaged manifests.
        let plan = try CondenseProcess.run(["sweep", "plan", path("sweep-good.json"), "-o", path("sw")])
        guard plan.status == 0 else { throw XCTSkip("could not plan the fixture sweep: \(plan.stderr)") }
        try FileManager.default.createDirectory(atPath: path("nosweep"), withIntermediateDirectories: false)
        for (name, text) in [("badmanifest", "{"), ("othermanifest", #"{"format": "x"}"#),
                             ("futuremanifest", #"{"format": "condense.sweep", "format_version": "9.0"}"#)] {
            try FileManager.default.createDirectory(atPath: path(name), withIntermediateDirectories: false)
            try write(name + "/manifest.json", text)
        }
        try FileManager.default.createDirectory(atPath: path("fifomanifest"), withIntermediateDirectories: false)
        guard mkfifo(path("fifomanifest/manifest.json"), 0o600) == 0 else { throw XCTSkip("mkfifo failed") }
    }
}
