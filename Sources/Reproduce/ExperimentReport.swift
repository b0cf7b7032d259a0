/// One experiment reproduced: its claims beside what we obtained, and where its runs are.
public struct ExperimentReport: Sendable, Codable {
    public var id: String
    public var figure: String
    public var summary: String
    public var settings: ReproduceSettings
    public var claims: [ClaimOutcome]
    public var notes: [String]
    /// How the claims were judged (the share rule unless the experiment says otherwise).
    public var rule: String = Agreement.ruleText
    /// The experiment's sweep directory (nil for in-process theory checks).
    public var directory: String?
    /// Run counts: done, failed, not finished (zero for theory checks).
    public var runsDone = 0, runsFailed = 0, runsPending = 0
    /// Run files of seed 1, one per combination of the other swept values, for drawing figures.
    public var figureRuns: [FigureRun] = []

    public init(id: String, figure: String, summary: String, settings: ReproduceSettings, claims: [ClaimOutcome],
                notes: [String], directory: String? = nil) {
        self.id = id; self.figure = figure; self.summary = summary; self.settings = settings; self.claims = claims
        self.notes = notes; self.directory = directory
    }
}
