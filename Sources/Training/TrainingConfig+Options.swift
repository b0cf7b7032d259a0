import Foundation
import Model

/// The configuration as run files store it since format 1.2 (FORMAT.md, root attribute `config`): one JSON object
/// whose keys are `condense train`'s long option names and whose values are what a user types for them
/// (`"snapshots": "every:10"`, `"loss": "half-sum"`, `"hidden": "1000,1000"`), so that `condense train` with
/// `--key value` for each key re-runs the run. Only `derived` is not an option: the values the run took from its
/// data (`inputs`, `outputs`) or that no option sets (`dampening`).
///
/// Files of format 1.0 and 1.1 store Swift's synthesized encoding of `TrainingConfig` instead
/// (`{"snapshots":{"every":{"_0":10}},"loss":"halfSum",…}`); `TrainingConfig.fromJSON` reads both.
struct StoredTrainOptions: Codable, Equatable {
    /// Values a run has that no option gives.
    struct Derived: Codable, Equatable {
        /// The network's input and output widths (from the data; absent while the data has not decided them).
        var inputs: Int?
        var outputs: Int?
        /// SGD dampening (no option sets it; absent when 0).
        var dampening: Double?
    }

    /// One value for every hidden layer, or one per layer.
    enum PerLayer<Value: Codable & Equatable>: Codable, Equatable {
        case one(Value)
        case each([Value])

        init(_ values: [Value]) {
            if let first = values.first, values.allSatisfy({ $0 == first }) { self = .one(first) } else { self = .each(values) }
        }

        func values(depth: Int) -> [Value] {
            switch self {
            case .one(let v): return Array(repeating: v, count: depth)
            case .each(let list): return list
            }
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let list = try? c.decode([Value].self) { self = .each(list) } else { self = .one(try c.decode(Value.self)) }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .one(let v): try c.encode(v)
            case .each(let list): try c.encode(list)
            }
        }
    }

    /// `--dropout`: one rate for every hidden layer (a number), or one per layer as typed (`"0.1,0.2"`).
    struct Rates: Codable, Equatable {
        var values: [Double]

        func values(depth: Int) -> [Double] { values.count == 1 ? Array(repeating: values[0], count: depth) : values }

        init(_ values: [Double]) {
            if let first = values.first, values.allSatisfy({ $0 == first }) { self.values = [first] } else { self.values = values }
        }

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let one = try? c.decode(Double.self) { values = [one]; return }
            if let list = try? c.decode([Double].self) { values = list; return }
            let text = try c.decode(String.self)
            values = try text.split(separator: ",").map { part in
                guard let v = Double(part.trimmingCharacters(in: .whitespaces)) else {
                    throw TrainingError.run("the stored configuration's --dropout \"\(text)\" is not understood (rates like 0.1 or 0.1,0.2)")
                }
                return v
            }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            if values.count == 1 { try c.encode(values[0]) } else { try c.encode(values.map { "\($0)" }.joined(separator: ",")) }
        }
    }

    var hidden: String
    var activation: PerLayer<String>
    var hiddenBias: Bool
    var readoutBias: Bool
    var residual: Bool
    var dropout: Rates
    var alpha: Double
    var initScheme: String
    var readoutInit: String
    /// `sgd`, `momentum`, `nesterov` or `adam`, as `--optimizer` takes them.
    var optimizer: String
    var lr: Double
    var momentum: Double?
    var beta1: Double?
    var beta2: Double?
    var eps: Double?
    var weightDecay: Double
    var lrSchedule: String
    var loss: String
    var steps: Int
    var stopLoss: Double?
    /// Absent: full batch.
    var batchSize: Int?
    var target: String?
    var dataset: String?
    var data: String?
    var testData: String?
    var xCols: String?
    var yCols: String?
    var nTrain: Int?
    var nTest: Int?
    var inputDim: Int?
    var inputScaling: String?
    var labels: String?
    var classes: Int?
    var snapshots: String
    var seed: UInt64
    var compress: Int?
    /// Always written; absent only from configurations written by hand, where the data decide the widths.
    var derived: Derived?

    enum CodingKeys: String, CodingKey {
        case hidden, activation, hiddenBias = "hidden-bias", readoutBias = "readout-bias", residual, dropout, alpha
        case initScheme = "init", readoutInit = "readout-init", optimizer, lr, momentum, beta1, beta2, eps
        case weightDecay = "weight-decay", lrSchedule = "lr-schedule", loss, steps, stopLoss = "stop-loss"
        case batchSize = "batch-size", target, dataset, data, testData = "test-data", xCols = "x-cols"
        case yCols = "y-cols", nTrain = "n-train", nTest = "n-test", inputDim = "input-dim"
        case inputScaling = "input-scaling", labels, classes, snapshots, seed, compress, derived
    }

    /// `--loss` values.
    static let lossNames: [(LossKind, String)] = [(.halfSum, "half-sum"), (.mean, "mean"), (.crossEntropy, "cross-entropy")]

    init(_ c: TrainingConfig) {
        let a = c.architecture, o = c.optimizer
        hidden = a.hiddenWidths.map(String.init).joined(separator: ",")
        activation = PerLayer(a.activations)
        hiddenBias = a.hiddenBias
        readoutBias = a.readoutBias
        residual = a.residual
        dropout = Rates(a.dropout)
        alpha = a.outputScale
        initScheme = c.hiddenInit.spec
        readoutInit = c.readoutInit.spec
        switch o.kind {
        case .adam:
            optimizer = "adam"
            beta1 = o.beta1; beta2 = o.beta2; eps = o.eps
        case .sgd:
            optimizer = o.nesterov ? "nesterov" : (o.momentum != 0 ? "momentum" : "sgd")
            if optimizer != "sgd" { momentum = o.momentum }
        }
        lr = o.lr
        weightDecay = o.weightDecay
        lrSchedule = c.learningRateSchedule.description
        loss = Self.lossNames.first { $0.0 == c.loss }!.1
        steps = c.steps
        stopLoss = c.stopLoss
        batchSize = c.batchSize
        switch c.data {
        case .builtin(let t, let n, let nt, let d):
            target = t.rawValue; nTrain = n; nTest = nt; inputDim = d
        case .file(let path, let test, let x, let y):
            data = path; testData = test; xCols = x; yCols = y
        case .dataset(let name, let n, let nt):
            dataset = name.rawValue; nTrain = n; nTest = nt
        }
        if let p = c.preprocessing {
            inputScaling = p.inputs.rawValue; labels = p.labels.rawValue; classes = p.classes
        }
        snapshots = c.snapshots.description
        seed = c.seed
        compress = c.compression
        derived = Derived(inputs: a.inputDim == 0 ? nil : a.inputDim, outputs: a.outputDim == 0 ? nil : a.outputDim,
                          dampening: o.dampening == 0 ? nil : o.dampening)
    }

    /// The configuration these options give; one-line `TrainingError`s name the option whose value is not understood.
    func config() throws -> TrainingConfig {
        func bad(_ option: String, _ value: String, _ why: Any) -> TrainingError {
            TrainingError.run("the stored configuration's --\(option) \"\(value)\" is not understood (\(why))")
        }
        var widths: [Int] = []
        for part in hidden.split(separator: ",") {
            guard let w = Int(part.trimmingCharacters(in: .whitespaces)) else { throw bad("hidden", hidden, "widths like 50 or 1000,1000") }
            widths.append(w)
        }
        let depth = widths.count
        let architecture = Architecture(inputDim: derived?.inputs ?? 0, hiddenWidths: widths, outputDim: derived?.outputs ?? 0,
                                        activations: activation.values(depth: depth), hiddenBias: hiddenBias,
                                        readoutBias: readoutBias, residual: residual, outputScale: alpha,
                                        dropout: dropout.values(depth: depth))
        let hiddenInit: InitScheme, readout: InitScheme
        do { hiddenInit = try InitScheme(parsing: initScheme) } catch { throw bad("init", initScheme, error) }
        do { readout = try InitScheme(parsing: readoutInit) } catch { throw bad("readout-init", readoutInit, error) }
        var o: OptimizerConfig
        switch optimizer {
        case "adam": o = .adam(lr: lr, beta1: beta1 ?? 0.9, beta2: beta2 ?? 0.999, eps: eps ?? 1e-8, weightDecay: weightDecay)
        case "sgd", "momentum", "nesterov":
            o = .sgd(lr: lr, momentum: momentum ?? 0, nesterov: optimizer == "nesterov", weightDecay: weightDecay)
        default: throw bad("optimizer", optimizer, "sgd, momentum, nesterov or adam")
        }
        o.dampening = derived?.dampening ?? 0
        let schedule: LearningRateSchedule
        do { schedule = try LearningRateSchedule(parsing: lrSchedule) } catch { throw bad("lr-schedule", lrSchedule, error) }
        guard let lossKind = Self.lossNames.first(where: { $0.1 == loss })?.0 else {
            throw bad("loss", loss, "half-sum, mean or cross-entropy")
        }
        let source: DataSource
        if let dataset {
            guard let name = BuiltinDataset(rawValue: dataset) else { throw bad("dataset", dataset, "an installed data set") }
            source = .dataset(name: name, n: nTrain, nTest: nTest)
        } else if let data {
            source = .file(path: data, testPath: testData, xColumns: xCols, yColumns: yCols)
        } else if let target {
            guard let t = BuiltinTarget(rawValue: target) else { throw bad("target", target, "a built-in target") }
            source = .builtin(target: t, n: nTrain, nTest: nTest, inputDim: inputDim)
        } else {
            throw TrainingError.run("the stored configuration names no data (--target, --dataset or --data)")
        }
        var preprocessing: DataPreprocessing?
        if inputScaling != nil || labels != nil || classes != nil {
            let scaling = try inputScaling.map { s -> DataPreprocessing.InputScaling in
                guard let v = DataPreprocessing.InputScaling(rawValue: s) else { throw bad("input-scaling", s, "raw, unit or standardize") }
                return v
            }
            let encoding = try labels.map { s -> DataPreprocessing.LabelEncoding in
                guard let v = DataPreprocessing.LabelEncoding(rawValue: s) else { throw bad("labels", s, "value or one-hot") }
                return v
            }
            preprocessing = DataPreprocessing(inputs: scaling ?? .raw, labels: encoding ?? .value, classes: classes)
        }
        let snapshotSchedule: SnapshotSchedule
        do { snapshotSchedule = try SnapshotSchedule(parsing: snapshots) } catch { throw bad("snapshots", snapshots, error) }
        return TrainingConfig(architecture: architecture, hiddenInit: hiddenInit, readoutInit: readout, optimizer: o,
                              learningRateSchedule: schedule, loss: lossKind, steps: steps, stopLoss: stopLoss,
                              batchSize: batchSize, data: source, snapshots: snapshotSchedule, seed: seed,
                              compression: compress, preprocessing: preprocessing)
    }
}

extension TrainingConfig {
    /// The configuration as stored in run files of format 1.2 and later (`StoredTrainOptions`): option names and
    /// values as typed, keys sorted.
    public func jsonString() throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try enc.encode(StoredTrainOptions(self)), as: UTF8.self)
    }

    /// Swift's synthesized encoding, as files of format 1.0 and 1.1 store it (a resume of such a file keeps it, so
    /// that the file stays what its `format_version` says).
    public func legacyJSONString() throws -> String {
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        return String(decoding: try enc.encode(self), as: UTF8.self)
    }

    /// This configuration encoded as `stored` is: the legacy encoding when `stored` is one, else the current one.
    public func jsonString(like stored: String) throws -> String {
        try Self.isLegacyJSON(stored) ? legacyJSONString() : jsonString()
    }

    /// Whether `text` is the encoding of format 1.0/1.1 (it nests the network under `architecture`).
    public static func isLegacyJSON(_ text: String) -> Bool {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else { return false }
        return object["architecture"] != nil
    }

    /// Reads a stored configuration in either encoding (`jsonString`, or the legacy one of format 1.0/1.1).
    public static func fromJSON(_ text: String) throws -> TrainingConfig {
        do {
            if isLegacyJSON(text) { return try JSONDecoder().decode(TrainingConfig.self, from: Data(text.utf8)) }
            return try JSONDecoder().decode(StoredTrainOptions.self, from: Data(text.utf8)).config()
        } catch let error as TrainingError {
            throw error
        } catch {
            throw TrainingError.run("the run file's configuration cannot be read by this condense (\(error))")
        }
    }
}
