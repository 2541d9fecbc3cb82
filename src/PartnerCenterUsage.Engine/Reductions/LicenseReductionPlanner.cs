using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using PartnerCenterUsage.Models;

namespace PartnerCenterUsage.Engine.Reductions;

/// <summary>
/// The join of one customer's analytics (usage and deployment rows) with its subscriptions: one row per product, and
/// one per subscription that cannot be put on a product. Pure: what now is, is given.
/// </summary>
/// <remarks>
/// The rules, each in one place:
/// - Products are keyed by the analytics' productId read as a GUID (the Microsoft Entra SKU id); names never join.
/// - Only the customer's latest processed day counts (older rows are history, not seats).
/// - A subscription carries seats unless it is suspended or ended (expired, disabled, deleted); trials carry seats but
///   cost nothing to keep, so they are never cuttable.
/// - A subscription with one candidate product of the customer's analytics is matched to it; with several, ambiguous;
///   with candidates none of which the analytics count, a product of its own that the analytics do not count; with no
///   candidate, missing. Ambiguous and missing subscriptions make "seats from other sources" unknown for the products
///   they could carry.
/// - The seats to cut are the unused ones (paid less active), or when activity is unknown at least the free ones
///   (paid less assigned): returnable now within the open return windows, then at renewal of the subscriptions that
///   renew, less what is already scheduled away.
/// </remarks>
internal static class LicenseReductionPlanner
{
    /// <summary>What the row's match went by, for a New Commerce subscription matched through its catalog SKU.</summary>
    public const string ByCatalog = "catalog provisioningId";

    /// <summary>What the row's match went by, for a legacy subscription matched through its provisioning status.</summary>
    public const string ByProvisioningStatus = "provisioning status";

    // Suspended subscriptions are still billed, but their licenses are taken away and their quantity cannot change: they
    // carry no seats a user has and none that can be cut. Expired, disabled and deleted ones have ended.
    private static readonly HashSet<string> NonCarryingStatuses = new(StringComparer.OrdinalIgnoreCase) { "suspended", "expired", "disabled", "deleted" };

    /// <summary>True when the subscription carries seats: it is not suspended and has not ended (an unknown status carries).</summary>
    public static bool Carries(CustomerSubscription subscription) => subscription.Status is not { } status || !NonCarryingStatuses.Contains(status.Trim());

    /// <summary>The rows of one customer: its products in the analytics' order, then the subscriptions no product took.</summary>
    public static IReadOnlyList<CustomerLicenseReduction> Plan(
        Guid customerId, string? customerName, IReadOnlyList<CustomerLicenseUsage> usage, IReadOnlyList<CustomerLicenseDeployment> deployment,
        IReadOnlyList<SubscriptionSku> subscriptions, DateTimeOffset now)
    {
        // Each dataset as of its own latest day: the usage analytics may be processed on another day than the deployment.
        var latestUsage = LatestDay(usage.Select(u => u.ProcessedDateTime));
        var latestDeployment = LatestDay(deployment.Select(d => d.ProcessedDateTime));
        customerName ??= usage.Select(u => u.CustomerName).Concat(deployment.Select(d => d.CustomerName)).FirstOrDefault(n => !string.IsNullOrEmpty(n));

        // The analytics' products, keyed by SKU id; a product whose id is not a GUID can match nothing.
        var products = new List<Product>();
        var byId = new Dictionary<Guid, Product>();
        Product ProductOf(string? productId, string? productName)
        {
            if (Guid.TryParse(productId?.Trim(), out var id))
            {
                if (!byId.TryGetValue(id, out var known))
                {
                    known = new Product(id, productId, productName);
                    byId.Add(id, known);
                    products.Add(known);
                }

                known.Name ??= productName;
                return known;
            }

            var unkeyed = products.FirstOrDefault(p => p.Id is null && string.Equals(p.RawId, productId, StringComparison.OrdinalIgnoreCase) && string.Equals(p.Name, productName, StringComparison.Ordinal));
            if (unkeyed is null)
            {
                unkeyed = new Product(null, productId, productName);
                products.Add(unkeyed);
            }

            return unkeyed;
        }

        foreach (var row in deployment.Where(d => IsOn(d.ProcessedDateTime, latestDeployment)))
        {
            var product = ProductOf(row.ProductId, row.ProductName);
            product.Paid = Add(product.Paid, row.LicensesSold, product.PaidSeen++);
            product.Assigned = Add(product.Assigned, row.LicensesDeployed, product.AssignedSeen++);
            product.Processed ??= row.ProcessedDateTime;
        }

        foreach (var workload in usage.Where(u => IsOn(u.ProcessedDateTime, latestUsage)).GroupBy(u => (Key: ProductOf(u.ProductId, u.ProductName), Workload: u.WorkloadCode ?? u.WorkloadName)))
        {
            long? active = null;
            var seen = 0;
            foreach (var row in workload)
            {
                active = Add(active, row.LicensesActive, seen++);
            }

            var product = workload.Key.Key;
            product.Active = product.ActiveSeen++ == 0 ? active : active is { } a && product.Active is { } b ? Math.Max(a, b) : null;
            product.Processed ??= workload.First().ProcessedDateTime;
        }

        // Subscriptions onto products.
        var unplaced = new List<(SubscriptionSku Sku, LicenseMatch Match, IReadOnlyList<Product> Candidates)>();
        var foreign = new Dictionary<Guid, List<SubscriptionSku>>();
        foreach (var sku in subscriptions.Where(s => Carries(s.Subscription)))
        {
            if (sku.Candidates.Count == 0)
            {
                unplaced.Add((sku, LicenseMatch.Missing, Array.Empty<Product>()));
                continue;
            }

            var counted = sku.Candidates.Where(byId.ContainsKey).Select(id => byId[id]).ToList();
            if (counted.Count == 1)
            {
                counted[0].Carriers.Add(sku);
            }
            else if (counted.Count > 1)
            {
                unplaced.Add((sku, LicenseMatch.Ambiguous, counted));
                counted.ForEach(p => p.AmbiguousWith.Add(sku));
            }
            else
            {
                var key = sku.Candidates[0];
                if (!foreign.TryGetValue(key, out var list))
                {
                    foreign.Add(key, list = new List<SubscriptionSku>());
                }

                list.Add(sku);
            }
        }

        // Any subscription that could not be placed could carry any product's seats; an ambiguous one, its candidates'.
        var anyMissing = unplaced.Any(u => u.Match == LicenseMatch.Missing) || products.Any(p => p.Id is null);
        var rows = new List<CustomerLicenseReduction>();
        foreach (var product in products)
        {
            var row = NewRow(customerId, customerName, now, product.RawId, product.Name, product.Carriers);
            row.PaidSeats = product.Paid;
            row.AssignedSeats = product.Assigned;
            row.ActiveSeats = product.Active;
            row.ProcessedDateTime = product.Processed;
            if (product.Id is null)
            {
                row.Match = LicenseMatch.Missing;
                row.MatchNote = "The analytics give no Microsoft Entra SKU id for this product, so no subscription can be matched to it.";
            }
            else if (product.AmbiguousWith.Count > 0)
            {
                row.Match = LicenseMatch.Ambiguous;
                row.MatchNote = string.Format(CultureInfo.InvariantCulture,
                    "Subscription {0} could carry this product or another of the customer's; it is counted against none of them.",
                    string.Join(", ", product.AmbiguousWith.Select(s => Describe(s.Subscription))));
            }
            else
            {
                row.Match = product.Carriers.Count > 0 ? LicenseMatch.Matched : LicenseMatch.NoSubscription;
            }

            row.OtherSourceSeats = product.Id is null || product.AmbiguousWith.Count > 0 || anyMissing || row.PaidSeats is not { } paid
                ? null
                : row.SubscribedSeats is { } carried ? Math.Max(0, paid - carried) : null;
            if (row.OtherSourceSeats is null && anyMissing && product.Id is not null && row.MatchNote is null)
            {
                row.MatchNote = "A subscription of the customer could not be matched to a product: the seats from other sources are unknown.";
            }

            Cuts(row, product.Carriers, now, row.UnusedSeats ?? (row.FreeSeats is { } free ? Math.Max(0, free) : null));
            if (product.Id is null || (product.Carriers.Count == 0 && anyMissing))
            {
                // A subscription that could not be placed may carry this product: what can be cut of it is not known.
                (row.RefundableSeats, row.CuttableNow, row.ReturnableUntil, row.RenewingSeats, row.CuttableAtRenewal, row.NextRenewal, row.ActBy) =
                    (null, null, null, null, null, null, null);
            }

            rows.Add(row);
        }

        foreach (var pair in foreign)
        {
            var first = pair.Value[0].Subscription;
            var row = NewRow(customerId, customerName, now, pair.Key.ToString("D", CultureInfo.InvariantCulture).ToUpperInvariant(), first.OfferName ?? first.FriendlyName, pair.Value);
            row.Match = LicenseMatch.NotInAnalytics;
            row.MatchNote = "The customer's analytics do not count this product (yet): its use, and so the seats to cut, are unknown.";
            Cuts(row, pair.Value, now, reducible: null);
            rows.Add(row);
        }

        foreach (var (sku, match, candidates) in unplaced)
        {
            var subscription = sku.Subscription;
            var row = NewRow(customerId, customerName, now, null,
                match == LicenseMatch.Ambiguous ? string.Join(" or ", candidates.Select(c => c.Name ?? c.RawId)) : subscription.OfferName ?? subscription.FriendlyName,
                new[] { sku });
            row.Match = match;
            row.MatchNote = match == LicenseMatch.Ambiguous
                ? "The subscription's SKU provisions several products the customer's analytics count; which of them its seats are is not known."
                : sku.Problem ?? "What the subscription carries could not be learnt.";
            Cuts(row, new[] { sku }, now, reducible: null);
            rows.Add(row);
        }

        return rows;
    }

    private static CustomerLicenseReduction NewRow(Guid customerId, string? customerName, DateTimeOffset now, string? productId, string? productName, IReadOnlyCollection<SubscriptionSku> carriers)
    {
        var row = new CustomerLicenseReduction
        {
            CustomerId = customerId,
            CustomerName = customerName,
            ProductId = productId,
            ProductName = productName,
            AsOf = now,
            Subscriptions = new CustomerSubscriptionList(carriers.Select(c => c.Subscription).ToList()),
            SubscribedSeats = Sum(carriers.Select(c => c.Subscription.Quantity)),
        };
        var by = carriers.Select(c => c.LearntBy).Where(b => b is not null).Distinct().ToList();
        row.MatchedBy = by.Count == 0 ? null : string.Join(", ", by);
        return row;
    }

    /// <summary>What can be cut now and at renewal, of <paramref name="reducible"/> seats (unknown: null).</summary>
    private static void Cuts(CustomerLicenseReduction row, IReadOnlyCollection<SubscriptionSku> carriers, DateTimeOffset now, long? reducible)
    {
        var paid = carriers.Select(c => c.Subscription).Where(s => s.IsTrial != true).ToList();

        // Return windows: New Commerce only; a subscription that does not say what is refundable leaves it unknown.
        long? refundable = 0;
        long? refundableNotRenewing = 0;
        DateTimeOffset? until = null;
        foreach (var s in paid.Where(s => s.IsNewCommerce != false))
        {
            long? open = 0;
            if (s.RefundableSeats.Count > 0)
            {
                foreach (var batch in s.RefundableSeats.Where(b => b.IsOpenAt(now)))
                {
                    open += batch.Quantity;
                    until = until is { } u && u <= batch.AllowedUntil ? u : batch.AllowedUntil;
                }
            }
            else
            {
                // A total without its batches is refundable, but until when is not said; no total is unknown.
                open = s.RefundableQuantity;
            }

            refundable += open;
            if (s.AutoRenewEnabled != true)
            {
                refundableNotRenewing += open;
            }
        }

        row.RefundableSeats = refundable;
        row.CuttableNow = reducible is { } r && refundable is { } back ? Math.Min(r, back) : null;
        row.ReturnableUntil = row.CuttableNow > 0 ? until : null;

        var renewing = paid.Where(s => s.AutoRenewEnabled == true).ToList();
        var ending = paid.Where(s => s.AutoRenewEnabled == false).ToList();
        var renewalKnown = paid.All(s => s.AutoRenewEnabled is not null);
        row.AutoRenewEnabled = paid.Count == 0 || !renewalKnown ? null : ending.Count == 0 ? true : renewing.Count == 0 ? false : null;
        row.RenewingSeats = renewalKnown ? Sum(renewing.Select(s => s.Quantity)) : null;
        // No next-term instructions: nothing scheduled away.
        row.ScheduledReduction = Sum(renewing.Select(s => s.ScheduledReduction ?? (s.NextTermQuantity is null && s.NextTermOfferId is null ? 0 : null)));
        row.NextRenewal = renewing.Select(s => s.TermEnd).Where(d => d is not null).DefaultIfEmpty().Min();
        row.EndingSeats = renewalKnown ? Sum(ending.Select(s => s.Quantity)) : null;
        row.EndsOn = ending.Select(s => s.TermEnd).Where(d => d is not null).DefaultIfEmpty().Min();
        // Seats returned now are not cut again at renewal: they come first from the subscriptions that do not renew, then
        // from those that do, which then have fewer seats to renew. When what is returnable now is unknown, the
        // renewal can take every unused seat that is not returned now, so the figure is what the renewal allows.
        var cutNow = row.CuttableNow ?? 0;
        var cutFromRenewing = refundableNotRenewing is { } other ? Math.Max(0, cutNow - other) : cutNow;
        row.CuttableAtRenewal = reducible is { } left && row.ScheduledReduction is { } scheduled && row.RenewingSeats is { } renewingSeats
            ? Math.Max(0, Math.Min(left - cutNow - scheduled, renewingSeats - scheduled - cutFromRenewing))
            : null;
        row.ActBy = row.CuttableNow > 0 ? row.ReturnableUntil : row.CuttableAtRenewal > 0 ? row.NextRenewal : null;
    }

    private static DateTime? LatestDay(IEnumerable<DateTimeOffset?> processed) =>
        processed.Where(d => d is not null).Select(d => (DateTime?)d!.Value.UtcDateTime.Date).DefaultIfEmpty().Max();

    // A row counts when it is of the dataset's latest day, or undated.
    private static bool IsOn(DateTimeOffset? processed, DateTime? latest) => processed is not { } date || date.UtcDateTime.Date == latest;

    // A sum of counts: unknown when any is.
    private static long? Sum(IEnumerable<long?> values)
    {
        long total = 0;
        foreach (var value in values)
        {
            if (value is not { } v)
            {
                return null;
            }

            total += v;
        }

        return total;
    }

    // The first value of a sum is taken as it is; later ones add, and an unknown one makes the sum unknown.
    private static long? Add(long? sum, long? value, int seen) => seen == 0 ? value : sum + value;

    private static string Describe(CustomerSubscription s) => s.FriendlyName ?? s.OfferName ?? s.SubscriptionId ?? "?";

    private sealed class Product(Guid? id, string? rawId, string? name)
    {
        public Guid? Id { get; } = id;

        public string? RawId { get; } = rawId;

        public string? Name { get; set; } = name;

        public long? Paid { get; set; }

        public int PaidSeen { get; set; }

        public long? Assigned { get; set; }

        public int AssignedSeen { get; set; }

        public long? Active { get; set; }

        public int ActiveSeen { get; set; }

        public DateTimeOffset? Processed { get; set; }

        public List<SubscriptionSku> Carriers { get; } = new();

        public List<SubscriptionSku> AmbiguousWith { get; } = new();
    }
}
