import Foundation
import XCTest
import Model
@testable import Training

/// The configuration as run files store it (format 1.2: `condense train` options as typed) and as files of
/// format 1.0/1.1 stored it (Swift's synthesized encoding): both read back to the same configuration.
final class StoredConfigurationTests: XCTestCase {
    private func object(_ text: String) throws -> [String: Any] {
        try XCTUnwrap(JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    /// Configurations that touch every stored key: optimizers, schedules, data sources, preprocessing, per-layer
    /// activations and dropout, the data-decided widths.
    private var configurations: [TrainingConfig] {
        var a = TrainingConfig.paperDefault
        var b = TrainingConfig.paperDefault
        b.architecture = Architecture(inputDim: 3, hiddenWidths: [6, 4], outputDim: 2, activations: ["tanh", "x*tanh(x)"],
                                      hiddenBias: false, readoutBias: true, residual: true, outputScale: 0.5,
                                      dropout: [0.1, 0.25])
        b.optimizer = .sgd(lr: 0.01, momentum: 0.5, dampening: 0.1, nesterov: false, weightDecay: 1e-4)
        b.learningRateSchedule = .stepDecay(every: 5, factor: 0.5)
        b.loss = .mean
        b.stopLoss = 1e-6
        b.batchSize = 5
        b.snapshots = .logSpaced(4)
        b.data = .builtin(target: .teacher, n: 10, nTest: 0, inputDim: 3)
        b.seed = 4
        b.compression = 1
        var c = TrainingConfig.paperDefault
        c.optimizer = .sgd(lr: 0.1, momentum: 0.9, nesterov: true)
        c.data = .file(path: "/data/x y.csv", testPath: "t.csv", xColumns: "0-4", yColumns: "label")
        c.snapshots = .explicit([0, 5, 100])
        c.loss = .crossEntropy
        c.preprocessing = DataPreprocessing(inputs: .standardize, labels: .oneHot, classes: 3)
        c.architecture.inputDim = 0
        c.architecture.outputDim = 0
        var d = TrainingConfig.paperDefault
        d.data = .dataset(name: .fashionMNIST, n: 600, nTest: nil)
        d.preprocessing = .datasetDefault
        d.optimizer = .sgd(lr: 0.05)
        a.hiddenInit = try! InitScheme(parsing: "anti_correlated(kappa=-0.5,sigma2=1)")
        return [a, b, c, d]
    }

    func testEveryConfigurationReadsBackFromTheStoredOptions() throws {
        for config in configurations {
            let text = try config.jsonString()
            XCTAssertFalse(TrainingConfig.isLegacyJSON(text))
            XCTAssertEqual(try TrainingConfig.fromJSON(text), config, text)
            // Old files keep loading, and a resume writes their own encoding back.
            let legacy = try config.legacyJSONString()
            XCTAssertTrue(TrainingConfig.isLegacyJSON(legacy))
            XCTAssertEqual(try TrainingConfig.fromJSON(legacy), config, legacy)
            XCTAssertEqual(try config.jsonString(like: legacy), legacy)
            XCTAssertEqual(try config.jsonString(like: text), text)
        }
    }

    func testTheStoredKeysAreOptionsWithTheValuesTyped() throws {
        let text = try configurations[1].jsonString()
        let o = try object(text)
        XCTAssertEqual(o["snapshots"] as? String, "log:4")
        XCTAssertEqual(o["loss"] as? String, "mean")
        XCTAssertEqual(o["hidden"] as? String, "6,4")
        XCTAssertEqual(o["activation"] as? [String], ["tanh", "x*tanh(x)"])
        XCTAssertEqual(o["dropout"] as? String, "0.1,0.25")
        XCTAssertEqual(o["optimizer"] as? String, "momentum")
        XCTAssertEqual(o["momentum"] as? Double, 0.5)
        XCTAssertEqual(o["lr-schedule"] as? String, "step(every=5,factor=0.5)")
        XCTAssertEqual(o["target"] as? String, "teacher")
        XCTAssertEqual(o["input-dim"] as? Int, 3)
        XCTAssertEqual(o["batch-size"] as? Int, 5)
        XCTAssertEqual(o["hidden-bias"] as? Bool, false)
        XCTAssertEqual(o["compress"] as? Int, 1)
        XCTAssertNil(o["beta1"], "Adam's options only with --optimizer adam")
        let derived = try XCTUnwrap(o["derived"] as? [String: Any])
        XCTAssertEqual(derived["inputs"] as? Int, 3)
        XCTAssertEqual(derived["outputs"] as? Int, 2)
        XCTAssertEqual(derived["dampening"] as? Double, 0.1)
        // No Swift enum encodings ({"every":{"_0":10}}) anywhere: every value but `derived` is a string, number,
        // boolean or list.
        for (key, value) in o where key != "derived" { XCTAssertFalse(value is [String: Any], key) }
        let paper = try object(TrainingConfig.paperDefault.jsonString())
        XCTAssertEqual(paper["snapshots"] as? String, "every:10")
        XCTAssertEqual(paper["loss"] as? String, "half-sum")
        XCTAssertEqual(paper["dropout"] as? Double, 0)
        XCTAssertNil(paper["batch-size"], "full batch: no --batch-size")
    }

    /// A configuration as a format-1.1 file stores it, written by the condense of that version.
    func testAFormat11ConfigurationStillReads() throws {
        let stored = #"{"architecture":{"activations":["tanh"],"dropout":[0],"hiddenBias":true,"hiddenWidths":[50],"inputDim":1,"outputDim":1,"outputScale":1,"readoutBias":false,"residual":false},"batchSize":null,"compression":null,"data":{"builtin":{"n":null,"nTest":40,"target":"sin1d"}},"hiddenInit":"gaussian(std=0.005)","learningRateSchedule":{"constant":{}},"loss":"halfSum","optimizer":{"beta1":0.9,"beta2":0.999,"dampening":0,"eps":1e-08,"kind":"adam","lr":0.001,"momentum":0,"nesterov":false,"weightDecay":0},"readoutInit":"gaussian(std=0.005)","seed":1,"snapshots":{"every":{"_0":10}},"steps":300}"#
        let config = try TrainingConfig.fromJSON(stored)
        XCTAssertEqual(config.snapshots, .every(10))
        XCTAssertEqual(config.loss, .halfSum)
        XCTAssertEqual(config.architecture.hiddenWidths, [50])
        XCTAssertEqual(config.data, .builtin(target: .sin1d, n: nil, nTest: 40, inputDim: nil))
        XCTAssertTrue(try config.jsonString(like: stored).contains(#""snapshots":{"every":{"_0":10}}"#))
    }

    func testAStoredOptionThatIsNotUnderstoodIsNamed() throws {
        var o = try object(TrainingConfig.paperDefault.jsonString())
        o["snapshots"] = "every:x"
        let text = String(decoding: try JSONSerialization.data(withJSONObject: o), as: UTF8.self)
        XCTAssertThrowsError(try TrainingConfig.fromJSON(text)) { error in
            XCTAssertTrue("\(error)".contains("--snapshots \"every:x\""), "\(error)")
        }
    }
}
