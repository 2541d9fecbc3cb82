namespace PartnerCenterUsage.Engine.Diagnostics;

/// <summary>How detailed a log message is.</summary>
public enum PartnerCenterLogLevel
{
    /// <summary>What a user asks for with -Verbose: one line per HTTP call.</summary>
    Verbose,

    /// <summary>What a user asks for with -Debug: sizes and timings.</summary>
    Debug,

    /// <summary>Something the user should act on.</summary>
    Warning,

    /// <summary>Something the user must see now, such as a device code to enter.</summary>
    Prompt,

    /// <summary>What the operation is waiting for, shown while it waits (progress); an empty message: no longer.</summary>
    Waiting,
}

/// <summary>
/// Receives the engine's diagnostics. It is called from any thread: an implementation that writes to
/// PowerShell must queue the message for the pipeline thread. Messages never contain a token or secret.
/// </summary>
public interface IPartnerCenterLog
{
    /// <summary>Records one message.</summary>
    void Write(PartnerCenterLogLevel level, string message);
}

/// <summary>A log that drops everything.</summary>
public sealed class NullPartnerCenterLog : IPartnerCenterLog
{
    /// <summary>The single instance.</summary>
    public static readonly NullPartnerCenterLog Instance = new();

    private NullPartnerCenterLog()
    {
    }

    /// <inheritdoc/>
    public void Write(PartnerCenterLogLevel level, string message)
    {
    }
}
