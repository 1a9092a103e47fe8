import Glibc

/// Named points where `NEWSMILL_FAILPOINT=<name>` kills the process (SIGKILL, as an OOM killer
/// or a power cut would): Scripts/kill-test.sh uses them to hit the short windows between a
/// run's last steps, which random kill times rarely land in.
public enum Failpoint {
    private static let armed: String? = getenv("NEWSMILL_FAILPOINT").map { String(cString: $0) }

    public static func hit(_ name: String) {
        if armed == name { kill(getpid(), SIGKILL) }
    }
}
