namespace PartnerCenterUsage.Tests.Hostile;

/// <summary>How a <see cref="HostileServer"/> finished with a request: what a test asks to tell a client that gave up
/// from one that read its answer to the end.</summary>
public enum HostileOutcome
{
    /// <summary>The server is still answering (or hanging on) the request.</summary>
    Pending,

    /// <summary>The whole answer was handed to Kestrel.</summary>
    Completed,

    /// <summary>The client went away (closed or reset the connection, or cancelled) before the answer was complete.</summary>
    ClientGone,

    /// <summary>The script's <see cref="HostileResponse.Drop"/> aborted the connection.</summary>
    Dropped,

    /// <summary>The server was disposed while it was still answering: it aborted the connection.</summary>
    Stopped,

    /// <summary>The script threw, or writing its answer failed for another reason than the client leaving:
    /// <see cref="HostileRequest.Error"/> says why.</summary>
    Failed,
}
