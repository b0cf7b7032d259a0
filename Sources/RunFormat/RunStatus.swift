/// The run's state as stored in the root `status` attribute.
public enum RunStatus: String, Sendable, CaseIterable {
    case running, completed, stopped, interrupted, diverged, failed
}
