/// Where a run stands.
public enum RunState: String, Codable, Sendable, CaseIterable {
    case pending, running, done, failed
}
