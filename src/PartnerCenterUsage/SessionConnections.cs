using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading;
using PartnerCenterUsage.Engine;

namespace PartnerCenterUsage;

/// <summary>
/// The connection of each runspace. PowerShell gives a binary module no private session state of its own, and
/// a variable could be listed and printed by the user, so the connection hangs off the Runspace object itself:
/// it lives and dies with its runspace, and no other runspace (ForEach-Object -Parallel, a RunspacePool, another
/// host in the process) can see it.
/// </summary>
internal static class SessionConnections
{
    private static readonly ConditionalWeakTable<Runspace, Slot> Slots = new();

    /// <summary>The connection of the runspace running the caller, or null.</summary>
    public static PartnerConnection? Current => CurrentSlot(create: false)?.Connection;

    /// <summary>Makes <paramref name="connection"/> this runspace's connection; returns the one it replaces, for signing out.</summary>
    public static PartnerConnection? Set(PartnerConnection connection) =>
        Interlocked.Exchange(ref CurrentSlot(create: true)!.Connection, connection);

    /// <summary>Removes this runspace's connection and returns it, for signing out; null when there was none.</summary>
    public static PartnerConnection? Remove() =>
        CurrentSlot(create: false) is { } slot ? Interlocked.Exchange(ref slot.Connection, null) : null;

    private static Slot? CurrentSlot(bool create)
    {
        // DefaultRunspace is the runspace of the pipeline executing on this thread: cmdlets only call this from it.
        var runspace = Runspace.DefaultRunspace;
        if (runspace is null)
        {
            return null;
        }

        return create ? Slots.GetValue(runspace, _ => new Slot()) : Slots.TryGetValue(runspace, out var slot) ? slot : null;
    }

    private sealed class Slot
    {
        public PartnerConnection? Connection;
    }
}
