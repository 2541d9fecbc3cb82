using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// The bytes of answers a connection holds at once, read and not yet parsed
/// (<see cref="PartnerCenterClientOptions.MaxBufferedResponseBytes"/>): an answer takes its bytes before it buffers them
/// (its Content-Length at once, else chunk by chunk) and gives them back once it is parsed. When the budget is spent, an
/// answer waits, cancellably, for others to give theirs back, rather than adding its size to the peak.
/// <para>
/// Never a deadlock: the oldest answer holding bytes (the first of those holding any to have taken its first bytes) is
/// never made to wait, and an answer that holds nothing is let in when no other holds anything, however large it is.
/// So the oldest always finishes and gives its bytes back. The price is that the oldest may go past the budget: the
/// bytes held are at most the budget plus what the oldest answer holds (one answer, itself capped), whatever the number
/// of requests in flight. Waiters are served in order; a later, smaller answer does not pass an earlier one.
/// </para>
/// </summary>
internal sealed class ResponseBudget
{
    private readonly object _gate = new();
    private readonly LinkedList<Lease> _holders = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _held;

    /// <summary>A budget of <paramref name="capacity"/> bytes.</summary>
    public ResponseBudget(long capacity)
    {
        if (capacity <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The budget of buffered answers must be positive.");
        }

        Capacity = capacity;
    }

    /// <summary>The bytes answers may hold at once (the oldest may go past it, see the type's remarks).</summary>
    public long Capacity { get; }

    /// <summary>The bytes held now.</summary>
    public long Held
    {
        get
        {
            lock (_gate)
            {
                return _held;
            }
        }
    }

    /// <summary>The answers waiting for bytes now.</summary>
    public int Waiting
    {
        get
        {
            lock (_gate)
            {
                return _waiters.Count;
            }
        }
    }

    /// <summary>A lease for one answer, holding nothing yet; disposing it gives back all it holds.</summary>
    public Lease Open() => new(this);

    private Task TakeAsync(Lease lease, long bytes, CancellationToken cancellationToken)
    {
        if (bytes <= 0)
        {
            return Task.CompletedTask;
        }

        cancellationToken.ThrowIfCancellationRequested();
        Waiter waiter;
        lock (_gate)
        {
            if (lease.Returned)
            {
                throw new ObjectDisposedException(nameof(Lease));
            }

            if (MayTake(lease, bytes, queueAhead: _waiters.Count > 0))
            {
                Grant(lease, bytes);
                return Task.CompletedTask;
            }

            waiter = new Waiter(lease, bytes, cancellationToken);
            waiter.Node = _waiters.AddLast(waiter);
        }

        if (cancellationToken.CanBeCanceled)
        {
            waiter.Cancellation = cancellationToken.Register(static w => ((Waiter)w!).Lease.Budget.Cancel((Waiter)w!), waiter);
            if (waiter.Task.IsCompleted)
            {
                // Granted before the registration was made.
                waiter.Cancellation.Dispose();
            }
        }

        return waiter.Task;
    }

    // Under the lock. The oldest holder never waits; an answer that holds nothing gets in alone; others take what fits,
    // in their turn.
    private bool MayTake(Lease lease, long bytes, bool queueAhead) =>
        ReferenceEquals(_holders.First?.Value, lease)
        || _holders.Count == 0
        || (!queueAhead && _held + bytes <= Capacity);

    // Under the lock.
    private void Grant(Lease lease, long bytes)
    {
        if (lease.Node is null)
        {
            lease.Node = _holders.AddLast(lease);
        }

        lease.Bytes += bytes;
        _held += bytes;
    }

    private void Give(Lease lease, long bytes, bool all)
    {
        List<Waiter>? granted;
        lock (_gate)
        {
            bytes = all ? lease.Bytes : Math.Min(bytes, lease.Bytes);
            lease.Bytes -= bytes;
            _held -= bytes;
            if (all)
            {
                lease.Returned = true;
                if (lease.Node is not null)
                {
                    _holders.Remove(lease.Node);
                    lease.Node = null;
                }
            }

            granted = Pump();
        }

        Complete(granted);
    }

    // Under the lock: the waiters that may go now. The oldest holder's, wherever it is in the queue, then the queue in
    // order, up to the first that does not fit.
    private List<Waiter>? Pump()
    {
        List<Waiter>? granted = null;
        if (_holders.First?.Value is { } oldest)
        {
            for (var node = _waiters.First; node is not null; node = node.Next)
            {
                if (ReferenceEquals(node.Value.Lease, oldest))
                {
                    Take(node.Value, ref granted);
                    break;
                }
            }
        }

        while (_waiters.First?.Value is { } next && MayTake(next.Lease, next.Bytes, queueAhead: false))
        {
            Take(next, ref granted);
        }

        return granted;
    }

    private void Take(Waiter waiter, ref List<Waiter>? granted)
    {
        _waiters.Remove(waiter.Node!);
        waiter.Node = null;
        Grant(waiter.Lease, waiter.Bytes);
        (granted ??= new List<Waiter>()).Add(waiter);
    }

    // Cancelled while waiting: out of the queue, and those behind it may now fit.
    private void Cancel(Waiter waiter)
    {
        List<Waiter>? granted;
        lock (_gate)
        {
            if (waiter.Node is null)
            {
                return;
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;
            granted = Pump();
        }

        Complete(granted);
        waiter.TrySetCanceled(waiter.Token);
    }

    private static void Complete(List<Waiter>? granted)
    {
        if (granted is null)
        {
            return;
        }

        foreach (var waiter in granted)
        {
            waiter.Cancellation.Dispose();
            waiter.TrySetResult();
        }
    }

    /// <summary>The bytes one answer holds.</summary>
    internal sealed class Lease : IDisposable
    {
        internal Lease(ResponseBudget budget) => Budget = budget;

        internal ResponseBudget Budget { get; }

        /// <summary>The bytes this answer holds.</summary>
        public long Bytes { get; internal set; }

        internal LinkedListNode<Lease>? Node { get; set; }

        internal bool Returned { get; set; }

        /// <summary>Whether this answer has waited for bytes (said once).</summary>
        public bool Waited { get; set; }

        /// <summary>Takes <paramref name="bytes"/> more, waiting for them if the budget is spent.</summary>
        /// <exception cref="OperationCanceledException">Cancelled while waiting; nothing more is held.</exception>
        public Task TakeAsync(long bytes, CancellationToken cancellationToken) => Budget.TakeAsync(this, bytes, cancellationToken);

        /// <summary>Gives back <paramref name="bytes"/> of what this answer holds, keeping the rest.</summary>
        public void Give(long bytes) => Budget.Give(this, bytes, all: false);

        /// <summary>Gives back all this answer holds; later takes are refused. Safe to call more than once.</summary>
        public void Dispose()
        {
            if (!Returned)
            {
                Budget.Give(this, 0, all: true);
            }
        }
    }

    private sealed class Waiter : TaskCompletionSource<bool>
    {
        public Waiter(Lease lease, long bytes, CancellationToken token)
            : base(TaskCreationOptions.RunContinuationsAsynchronously)
        {
            Lease = lease;
            Bytes = bytes;
            Token = token;
        }

        public CancellationToken Token { get; }

        public Lease Lease { get; }

        public long Bytes { get; }

        public LinkedListNode<Waiter>? Node { get; set; }

        public CancellationTokenRegistration Cancellation { get; set; }

        public void TrySetResult() => TrySetResult(true);
    }
}
