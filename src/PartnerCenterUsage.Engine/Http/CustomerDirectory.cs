using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>
/// The customers a connection has seen, by id, for completing -CustomerId: nothing else reads it, so no row's values
/// depend on what the connection happened to see before. One writer rule, in <c>Note</c>: Partner Center's own
/// customer record (a listing's or a lookup's) replaces whatever was known of that customer; a name that only a report row
/// gives is taken for a customer not known yet, never over a record. Safe for concurrent use.
/// </summary>
internal sealed class CustomerDirectory
{
    /// <summary>
    /// The most customers kept: far more than completion shows (200), and a bound on what a session holds however
    /// many customers its answers name (a hostile service's 2,000,000 took a gigabyte). Past it, customers not yet
    /// known are not added; completion then asks Partner Center.
    /// </summary>
    internal const int MaxCustomers = 50_000;

    private readonly ConcurrentDictionary<Guid, Entry> _customers = new();
    private int _count;

    /// <summary>The customers seen so far.</summary>
    public IReadOnlyCollection<PartnerCustomer> Known => _customers.Values.Select(e => e.Customer).ToList();

    /// <summary>A customer's record, from a listing or a lookup: it replaces what was known.</summary>
    public void Note(PartnerCustomer record)
    {
        if (record.CustomerId is { } id)
        {
            Note(id, new Entry(record, IsRecord: true));
        }
    }

    /// <summary>A customer a report row names (its id and the name the row gives, if any).</summary>
    public void Note(Guid? customerId, string? companyName)
    {
        if (customerId is { } id)
        {
            Note(id, new Entry(new PartnerCustomer { CustomerId = id, CompanyName = companyName }, IsRecord: false));
        }
    }

    private void Note(Guid id, Entry seen)
    {
        while (true)
        {
            if (_customers.TryGetValue(id, out var known))
            {
                if (!Wins(seen, known) || _customers.TryUpdate(id, seen, known))
                {
                    return;
                }

                continue;
            }

            if (Volatile.Read(ref _count) >= MaxCustomers)
            {
                return;
            }

            if (_customers.TryAdd(id, seen))
            {
                Interlocked.Increment(ref _count);
                return;
            }
        }
    }

    // A record wins over anything; a row's name only fills in a customer known by id alone.
    private static bool Wins(Entry seen, Entry known) =>
        seen.IsRecord || (!known.IsRecord && known.Customer.CompanyName is null && seen.Customer.CompanyName is not null);

    private sealed record Entry(PartnerCustomer Customer, bool IsRecord);
}
