import Foundation
import Sweep

/// The figures of `condense reproduce`, drawn by the Python package (`python -m condense plot all DIR
/// --experiment ID --out-dir DIR/figures`: an activation × seed grid of heat maps, and the S_w fit and map where
/// the experiment is a width sweep). Python is never needed by condense itself: when no interpreter with the
/// package is found, reproduce says how to install it and which command draws the figures afterwards.
struct ReproduceFigures {
    /// The interpreter, and PYTHONPATH when the package is imported from a checkout rather than installed.
    let python: String
    let packagePath: String?

    /// The first interpreter that imports `condense.plot`: `$CONDENSE_PYTHON`; the checkout's venv
    /// (`$CONDENSE_VENV` or ./.venv-python, made by tools/python/venv.sh) with ./tools/python on its path; the
    /// `python3` on PATH (where `pip install ./tools/python` put the package).
    static func find() -> ReproduceFigures? {
        let env = ProcessInfo.processInfo.environment
        let cwd = FileManager.default.currentDirectoryPath
        var candidates: [ReproduceFigures] = []
        if let explicit = env["CONDENSE_PYTHON"], !explicit.isEmpty {
            candidates.append(ReproduceFigures(python: explicit, packagePath: nil))
        }
        let venv = (env["CONDENSE_VENV"] ?? cwd + "/.venv-python") + "/bin/python"
        let checkout = cwd + "/tools/python/condense"
        if FileManager.default.fileExists(atPath: checkout) {
            candidates.append(ReproduceFigures(python: venv, packagePath: cwd + "/tools/python"))
        } else {
            candidates.append(ReproduceFigures(python: venv, packagePath: nil))
        }
        if let onPath = executableOnPath("python3") { candidates.append(ReproduceFigures(python: onPath, packagePath: nil)) }
        return candidates.first { $0.imports() }
    }

    static func executableOnPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment
        env["MPLBACKEND"] = "Agg"   // off-screen: reproduce runs on login and batch nodes without a display
        if let packagePath { env["PYTHONPATH"] = [packagePath, env["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":") }
        return env
    }

    func imports() -> Bool {
        guard FileManager.default.isExecutableFile(atPath: python) else { return false }
        let probe = try? HelperCommand.run(python, ["-c", "import condense.plot, condense.cli"], environment: environment)
        return probe?.status == 0
    }

    /// Draws one experiment's figures into DIR/figures; returns the files written, or the first line of the
    /// package's error.
    func draw(root: String, experiment: String) -> Result<[String], FigureError> {
        let arguments = ["-m", "condense", "plot", "all", root, "--experiment", experiment, "--out-dir", root + "/figures"]
        do {
            let r = try HelperCommand.run(python, arguments, environment: environment)
            let lines = r.output.split(separator: "\n").map(String.init)
            guard r.status == 0 else {
                return .failure(.plotting(lines.last { !$0.isEmpty } ?? "python exited \(r.status)"))
            }
            return .success(lines.filter { $0.hasSuffix(".png") })
        } catch {
            return .failure(.helper("\(error)"))
        }
    }
}
