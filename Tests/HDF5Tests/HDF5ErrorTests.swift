import XCTest
@testable import HDF5

/// `HDF5Error`: each kind's line is its message (plus HDF5's innermost message when the kind carries a stack), and
/// the wrapper throws the kind a caller can act on.
final class HDF5ErrorTests: HDF5TestCase {
    func testEachCaseIsItsLine() {
        let stack = ["H5Dset_extent: can't set extent", "H5D__set_extent: dataset has no chunks"]
        XCTAssertEqual(HDF5Error.library("cannot extend '/f'", stack: stack).description,
                       "cannot extend '/f': dataset has no chunks")
        XCTAssertEqual(HDF5Error.library("cannot extend '/f'", stack: []).description, "cannot extend '/f'")
        XCTAssertEqual(HDF5Error.file("cannot open HDF5 file 'a.h5': no such file").description,
                       "cannot open HDF5 file 'a.h5': no such file")
        XCTAssertEqual(HDF5Error.file("cannot open 'a.h5': it is not an HDF5 file", stack: stack).description,
                       "cannot open 'a.h5': it is not an HDF5 file: dataset has no chunks")
        XCTAssertEqual(HDF5Error.busy("cannot open HDF5 file 'a.h5': another process\nhas it").description,
                       "cannot open HDF5 file 'a.h5': another process has it")
        XCTAssertEqual(HDF5Error.member("no dataset 'x' in '/'").description, "no dataset 'x' in '/'")
        XCTAssertEqual(HDF5Error.value("slab [9] is too large").description, "slab [9] is too large")
        XCTAssertEqual(HDF5Error.access("HDF5 file 'a.h5' is closed").description, "HDF5 file 'a.h5' is closed")
        XCTAssertEqual(HDF5Error.library("m", stack: stack).stack, stack)
        XCTAssertEqual(HDF5Error.member("m").stack, [])
        XCTAssertEqual(HDF5Error.value("m").message, "m")
    }

    func testWrapperThrowsItsKind() throws {
        func kind(_ body: () throws -> Void) -> String {
            do { try body(); return "none" } catch let e as HDF5Error {
                switch e {
                case .library: return "library"
                case .file: return "file"
                case .busy: return "busy"
                case .member: return "member"
                case .value: return "value"
                case .access: return "access"
                }
            } catch { return "other" }
        }
        XCTAssertEqual(kind { _ = try H5File.open(path("missing.h5")) }, "file")
        let file = try H5File.create(path("k.h5"))
        let fixed = try file.root.createDataset("fixed", type: .float64, shape: [2])
        XCTAssertEqual(kind { try fixed.extend(to: [3]) }, "library")
        XCTAssertEqual(kind { _ = try file.root.openGroup("nope") }, "member")
        XCTAssertEqual(kind { try fixed.write([1.0]) }, "value")
        try file.close()
        XCTAssertEqual(kind { try file.flush() }, "access")
        let held = try H5File.create(path("held.h5"))
        defer { try? held.close() }
        XCTAssertEqual(kind { _ = try H5File.open(path("held.h5"), writable: true) }, "busy")
    }
}
