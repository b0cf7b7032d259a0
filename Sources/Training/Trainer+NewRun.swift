import LinearAlgebra
import Model
import RunFormat

/// Starting a run: its data, resolved configuration, network and initialized parameters, and the run file.
extension Trainer {
    /// Starts a new run written to `path`. Every run file is live: written in SWMR mode from its first snapshot,
    /// so readers can follow it while it trains and a kill at any moment leaves it consistent (FORMAT.md).
    /// With `threads` > 1 the large layers' products, activations and the optimizer's update are shared by a
    /// `WorkerTeam` of that many threads, each calling BLAS on its own block (so BLAS itself should run on one
    /// thread): the parameters are the same bits for any thread count.
    public convenience init(config: TrainingConfig, path: String, commandLine: String, overwrite: Bool = false,
                            threads: Int = 1) throws {
        try self.init(start: try Self.fresh(config), path: path, commandLine: commandLine, overwrite: overwrite,
                      threads: threads)
    }

    /// A new run file for a start made by `fresh` (`SeedBatch` checks all its networks' starts before it writes).
    convenience init(start: FreshStart, path: String, commandLine: String, overwrite: Bool, threads: Int) throws {
        try ResourceEstimate.checkDisk(start.config, path: path,
                                       snapshots: start.config.snapshots.countBound(total: start.config.steps,
                                                                                    stepsPerEpoch: start.config.stepsPerEpoch(rows: start.train.n)),
                                       steps: start.config.steps, replacing: overwrite)
        // A file that cannot be completed is removed by `RunWriter.create` itself, while it holds its lock.
        let c = start.config
        let writer = try RunWriter.create(
            path: path, layers: LayerDescription.layers(of: c.architecture, network: start.network),
            commandLine: commandLine, configJSON: try c.jsonString(), seed: c.seed, lossKind: c.loss.runFileName,
            train: start.train, test: start.test, overwrite: overwrite, compression: c.compression)
        try self.init(config: start.config, path: path, network: start.network, parameters: start.parameters,
                      train: start.train, test: start.test, writer: writer, resume: nil, startStep: 0, wallOffset: 0,
                      threads: threads)
    }

    /// A trainer that writes no file: the same data, initialization and loop as a run, with the losses of each
    /// snapshot step (`config.snapshots`) kept in `history`. `path` is empty.
    public convenience init(inMemory config: TrainingConfig) throws {
        let start = try Self.fresh(config)
        try self.init(config: start.config, path: "", network: start.network, parameters: start.parameters,
                      train: start.train, test: start.test, writer: nil, resume: nil, startStep: 0, wallOffset: 0)
    }

    /// A new run's data, resolved configuration, network and initialized parameters.
    typealias FreshStart = (config: TrainingConfig, train: Dataset, test: Dataset?, network: Network,
                            parameters: Parameters)

    static func fresh(_ config: TrainingConfig) throws -> FreshStart {
        var config = config
        let (train, test) = try DataLoading.load(config.data, seed: config.seed, preprocessing: config.preprocessing)
        // A zero size means "as the data says" (the CLI leaves them to the data).
        if config.architecture.inputDim == 0 { config.architecture.inputDim = train.inputDim }
        if config.architecture.outputDim == 0 { config.architecture.outputDim = train.outputDim }
        try config.validate()
        try checkShapes(config.architecture, train, test)
        try ResourceEstimate.check(config, trainRows: train.n, testRows: test?.n ?? 0)
        let parameters = Parameters(architecture: config.architecture)
        var initRNG = Xoshiro256(seed: config.seed, stream: initStream)
        try InitScheme.initialize(parameters, hidden: config.hiddenInit, readout: config.readoutInit, rng: &initRNG)
        let network = try Network(architecture: config.architecture)
        return (config, train, test, network, parameters)
    }

    static let initStream: UInt64 = 1
    static let shuffleStream: UInt64 = 3
    static let dropoutStream: UInt64 = 4

    /// The threads that share each step, or nil. A team only where training has work to share: a layer cut into
    /// blocks for the batches of the steps, or an optimizer update long enough to split. Else (the papers' 5-50-1
    /// networks) a second thread would only wait between steps, and the writer thread, which evaluates the test
    /// losses beside training when there is no team, could not.
    static func team(_ a: Architecture, batchSize: Int, rows: Int, parameters: Int, threads: Int) -> WorkerTeam? {
        let shared = [batchSize, rows].contains { Workspace.sharesWork(a, rows: $0) }
            || parameters >= Optimizer.parallelThreshold
        return threads > 1 && shared ? WorkerTeam(size: threads) : nil
    }

    /// Whether the data fit the network (a new run's, and a resumed run's stored data).
    static func checkShapes(_ a: Architecture, _ train: Dataset, _ test: Dataset?) throws {
        guard train.n > 0 else { throw TrainingError.data("the training data is empty") }
        guard train.inputDim == a.inputDim else {
            throw TrainingError.data("the data has \(train.inputDim) input columns but the network expects \(a.inputDim)")
        }
        guard train.outputDim == a.outputDim else {
            throw TrainingError.data("the data has \(train.outputDim) target columns but the network has \(a.outputDim) outputs")
        }
        if let test, test.inputDim != train.inputDim || test.outputDim != train.outputDim {
            throw TrainingError.data("the test data has \(test.inputDim)+\(test.outputDim) columns, the training data \(train.inputDim)+\(train.outputDim)")
        }
    }
}
