import Glibc
import Synchronization

/// Named points where `NEWSMILL_FAILPOINT=<name>` (or `<name>:<n>`, the n-th time it is passed)
/// kills the process with SIGKILL, as an OOM killer or a power cut would: the tests and
/// Scripts/kill-test.sh use them to hit the short windows between a run's last steps, which
/// random kill times rarely land in.
public enum Failpoint {
    private static let armed: (name: String, count: Int)? = {
        guard let value = getenv("NEWSMILL_FAILPOINT").map({ String(cString: $0) }) else { return nil }
        let parts = value.split(separator: ":")
        return (String(parts.first ?? ""), parts.count > 1 ? Int(parts[1]) ?? 1 : 1)
    }()
    private static let passes = Mutex(0)

    public static func hit(_ name: String) {
        guard let armed, armed.name == name else { return }
        if passes.withLock({
            $0 += 1; return $0
        }) >= armed.count {
            kill(getpid(), SIGKILL)
        }
    }
}
