using System.Globalization;

namespace PartnerCenterUsage.Simulator;

/// <summary>
/// The subscriptions of a customer, derived from its deployment rows: the seats each product's active subscriptions
/// carry add up to its licensesSold (fewer for some customers: seats from elsewhere). Amounts and dates come from
/// hashes of stable names, not from the generator's random sequence (which would change every later customer); which
/// customer shows which case (legacy, trial, split, add-on, open return window...) follows its place in the list, so
/// that every case appears at the default 25 customers. Dates are relative to <c>now</c>, the simulator's clock when the
/// data is built.
/// </summary>
internal static class Subscriptions
{
    /// <summary>How many customers from the first show the rare cases (legacy, a SKU without provisioningId) often.</summary>
    public const int HardCaseCustomers = 32;

    private static readonly string[] InactiveStatuses = ["suspended", "expired", "disabled", "deleted"];

    // The terms New Commerce subscriptions are bought with, in turn: monthly, annual (billed annually or monthly), triennial.
    private static readonly (string Duration, string Cycle)[] Terms = [("P1M", "monthly"), ("P1Y", "annual"), ("P1Y", "monthly"), ("P3Y", "triennial")];

    /// <summary>
    /// The subscriptions of the customer at <paramref name="ordinal"/> in the data (0 for the seed customer), in the
    /// order of its deployment rows; none for a customer without licenses.
    /// </summary>
    public static IReadOnlyList<SimulatedSubscription> For(Guid customerId, int ordinal, IReadOnlyList<SimulatedDeployment> deployment, DateTimeOffset now)
    {
        var context = new Context(customerId, ordinal, deployment, new DateTimeOffset(now.UtcTicks - (now.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero));
        var byProduct = new Dictionary<int, List<SimulatedSubscription>>();

        // Add-ons last, so that their parent exists; listed in the order of the deployment rows all the same.
        foreach (var (row, index) in deployment.Select((row, index) => (row, index)).OrderBy(x => x.row.ProductName == ProductCatalog.Archiving))
        {
            byProduct[index] = context.ForProduct(row, index, byProduct.Values.SelectMany(s => s).ToList());
        }

        return [.. byProduct.OrderBy(p => p.Key).SelectMany(p => p.Value)];
    }

    private sealed class Context(Guid customerId, int ordinal, IReadOnlyList<SimulatedDeployment> deployment, DateTimeOffset now)
    {
        private readonly DateTimeOffset _today = new(now.UtcDateTime.Date, TimeSpan.Zero);

        public List<SimulatedSubscription> ForProduct(SimulatedDeployment row, int index, IReadOnlyList<SimulatedSubscription> earlier)
        {
            var product = ProductCatalog.Lookup(row.ProductName);
            var key = string.Create(CultureInfo.InvariantCulture, $"{customerId}|{product.Sku.ProductId}|subscription");
            var first = index == 0;
            var subscriptions = new List<SimulatedSubscription>();

            // Some customers hold seats from elsewhere too: this partner's subscriptions carry fewer than the analytics count.
            var carried = ordinal % 6 == 5 ? (row.LicensesSold >= 2 ? row.LicensesSold - Math.Max(1, row.LicensesSold / 4) : 0) : row.LicensesSold;

            if (first && ordinal % 9 == 4 && carried > 0)
            {
                var trial = Math.Min(25, carried);
                subscriptions.Add(Trial(product, key, trial));
                carried -= trial;
            }

            if (product.Name == ProductCatalog.E3 && deployment.Any(d => d.ProductName == ProductCatalog.Archiving) && carried > 0)
            {
                var bundled = Math.Max(1, carried / 3);
                subscriptions.Add(NewCommerce(product, ProductCatalog.Bundle, key + "|bundle", bundled, ("P1Y", "annual"), row, openWindow: false, recentAdditions: false, nextTerm: false, earlier));
                carried -= bundled;
            }

            if (carried > 0)
            {
                // The hard cases are frequent among the first customers (every test's portfolio) and rare after them, as they
                // are in a real portfolio: legacy license-based subscriptions are nearly gone since New Commerce replaced
                // them, and a catalog SKU without provisioningId is an oddity. A benchmark of 1,000 customers then pays
                // for a few provisioning status requests, not for one customer in five.
                var common = ordinal < HardCaseCustomers;
                var sku = product.Name == ProductCatalog.BusinessStandard && (common ? ordinal % 4 == 0 : ordinal % 100 == 0) ? ProductCatalog.WithoutProvisioningId : product.Sku;
                if (first && (common ? ordinal % 8 == 3 : ordinal % 250 == 3))
                {
                    subscriptions.Add(Legacy(product, key, carried, hasSkuId: ordinal % 16 != 11));
                }
                else if (first && ordinal % 4 == 2 && carried >= 2)
                {
                    // An annual base and a monthly top-up bought later.
                    var topUp = Math.Max(1, carried / 5);
                    subscriptions.Add(NewCommerce(product, sku, key + "|base", carried - topUp, ("P1Y", "annual"), row, false, false, false, earlier));
                    subscriptions.Add(NewCommerce(product, sku, key + "|top-up", topUp, ("P1M", "monthly"), row, false, false, false, earlier));
                }
                else
                {
                    subscriptions.Add(NewCommerce(product, sku, key + "|base", carried, Terms[(ordinal + index) % Terms.Length], row,
                        openWindow: first && ordinal % 4 == 1, recentAdditions: first && ordinal % 3 == 0, nextTerm: first && ordinal % 7 == 2, earlier));
                }
            }

            if (first && ordinal % 5 == 1)
            {
                subscriptions.Add(Inactive(product, key + "|inactive", InactiveStatuses[(ordinal / 5) % InactiveStatuses.Length], row));
            }

            return subscriptions;
        }

        private SimulatedSubscription NewCommerce(
            CatalogProduct product, SimulatedCatalogSku sku, string key, long quantity, (string Duration, string Cycle) term, SimulatedDeployment row,
            bool openWindow, bool recentAdditions, bool nextTerm, IReadOnlyList<SimulatedSubscription> earlier)
        {
            // The archiving add-on hangs off the customer's Exchange or E3 subscription, else off another that includes Exchange.
            var parent = product.Name != ProductCatalog.Archiving ? null
                : earlier.Where(s => !s.IsLegacy && !s.IsTrial && s.Status == "active" && s.ParentSubscriptionId is null)
                    .OrderBy(s => s.ProductName is ProductCatalog.ExchangePlan1 or ProductCatalog.E3 ? 0 : 1).FirstOrDefault();

            DateTimeOffset start;
            if (parent is not null)
            {
                // Add-ons end with their parent's term.
                start = parent.EffectiveStartDate;
                term = (parent.TermDuration, parent.BillingCycle);
            }
            else if (openWindow)
            {
                start = _today.AddDays(-2);
            }
            else if (key.EndsWith("|top-up", StringComparison.Ordinal))
            {
                // Top-ups are recent: some still within their return window.
                start = _today.AddDays(-(int)Math.Floor(20 * Licenses.Fraction(key + "|age")));
            }
            else
            {
                // Past the 7 days of the return window, within the term.
                var length = (int)(End(_today, term.Duration) - _today).TotalDays;
                start = _today.AddDays(-(8 + (int)Math.Floor((length - 9) * Licenses.Fraction(key + "|age"))));
            }

            var renewals = term.Duration == "P3Y" ? 0 : (int)Math.Floor(3 * Licenses.Fraction(key + "|renewals"));
            var windowEnd = start.AddDays(7);
            var batches = new List<SimulatedRefundBatch>();
            var options = new List<SimulatedRefundOption>();
            if (windowEnd > now)
            {
                // Bought or renewed within the last 7 days: every seat can still be returned.
                batches.Add(new SimulatedRefundBatch(quantity, windowEnd));
                options.Add(new SimulatedRefundOption("Full", windowEnd));
            }
            else if (recentAdditions && quantity >= 2)
            {
                // Seats added yesterday and four days ago, each batch with its own deadline.
                batches.Add(new SimulatedRefundBatch(Math.Max(1, quantity / 10), now.AddDays(-1).AddDays(7)));
                if (quantity >= 3)
                {
                    batches.Add(new SimulatedRefundBatch(Math.Max(1, quantity / 20), now.AddDays(-4).AddDays(7)));
                }

                options.Add(new SimulatedRefundOption("Partial", batches.Max(b => b.AllowedUntil)));
            }

            var autoRenew = nextTerm || !(Licenses.Fraction(key + "|auto-renew") < 0.25 || ordinal % 7 == 3);
            var end = DateOnly.FromDateTime(End(start, term.Duration).UtcDateTime).AddDays(-1);
            var title = sku.Title;
            return new SimulatedSubscription
            {
                Id = Licenses.StableGuid(key),
                OfferId = $"{sku.ProductSku}:{sku.AvailabilityId}",
                OfferName = title,
                FriendlyName = key.EndsWith("|top-up", StringComparison.Ordinal) ? title + " (top-up)" : title,
                Quantity = quantity,
                Status = "active",
                BillingCycle = term.Cycle,
                TermDuration = term.Duration,
                CreationDate = Back(start, term.Duration, renewals).AddSeconds(Math.Floor(8 * 3600 * (1 + Licenses.Fraction(key + "|time")))),
                EffectiveStartDate = start,
                CommitmentEndDate = end,
                CommitmentEndDateTime = EndOfDay(end),
                CancellationAllowedUntil = windowEnd,
                AutoRenewEnabled = autoRenew,
                ParentSubscriptionId = parent?.Id,
                PartnerId = PartnerOf(row),
                OrderId = Licenses.StableGuid(key + "|order"),
                RefundOptions = options,
                RefundableBatches = batches,
                NextTerm = nextTerm && quantity >= 2 ? new SimulatedNextTerm(quantity - Math.Max(1, quantity / 5), term.Cycle, term.Duration) : null,
                CatalogSku = sku,
                ProductName = product.Name,
                EntraSkuId = product.EntraSkuId,
            };
        }

        private SimulatedSubscription Trial(CatalogProduct product, string key, long quantity)
        {
            key += "|trial";
            var start = _today.AddDays(-(int)Math.Floor(20 * Licenses.Fraction(key + "|age")));
            var end = DateOnly.FromDateTime(start.AddMonths(1).UtcDateTime).AddDays(-1);
            return new SimulatedSubscription
            {
                Id = Licenses.StableGuid(key),
                OfferId = $"{product.Sku.ProductSku}:{product.Sku.AvailabilityId}",
                OfferName = product.Sku.Title + " Trial",
                FriendlyName = product.Sku.Title + " Trial",
                Quantity = quantity,
                Status = "active",
                BillingCycle = "none",
                TermDuration = "P1M",
                CreationDate = start.AddHours(10),
                EffectiveStartDate = start,
                CommitmentEndDate = end,
                CommitmentEndDateTime = EndOfDay(end),
                AutoRenewEnabled = false,
                IsTrial = true,
                OrderId = Licenses.StableGuid(key + "|order"),
                CatalogSku = product.Sku,
                ProductName = product.Name,
                EntraSkuId = product.EntraSkuId,
            };
        }

        private SimulatedSubscription Legacy(CatalogProduct product, string key, long quantity, bool hasSkuId)
        {
            key += "|legacy";
            var start = _today.AddDays(-(8 + (int)Math.Floor(350 * Licenses.Fraction(key + "|age"))));
            return new SimulatedSubscription
            {
                Id = Licenses.StableGuid(key),
                OfferId = Licenses.StableGuid("offer|" + product.Name).ToString("D").ToUpperInvariant(),
                OfferName = product.Sku.Title,
                FriendlyName = product.Sku.Title,
                Quantity = quantity,
                Status = "active",
                IsLegacy = true,
                BillingCycle = Licenses.Fraction(key + "|cycle") < 0.5 ? "monthly" : "annual",
                TermDuration = "P1Y",
                CreationDate = start.AddYears(-(1 + (int)Math.Floor(3 * Licenses.Fraction(key + "|renewals")))).AddHours(9),
                EffectiveStartDate = start,

                // Exclusive: the first day after the term.
                CommitmentEndDate = DateOnly.FromDateTime(start.AddYears(1).UtcDateTime),
                AutoRenewEnabled = true,
                OrderId = Licenses.StableGuid(key + "|order"),
                ProductName = product.Name,
                EntraSkuId = product.EntraSkuId,
                ProvisioningStatusHasSkuId = hasSkuId,
            };
        }

        private SimulatedSubscription Inactive(CatalogProduct product, string key, string status, SimulatedDeployment row)
        {
            var quantity = 1 + (long)Math.Floor(20 * Licenses.Fraction(key + "|quantity"));

            // Suspended within its term; expired within 30 days of its end, disabled within 90 days after, deleted later.
            var daysSinceEnd = status switch
            {
                "suspended" => -(10 + (int)Math.Floor(100 * Licenses.Fraction(key + "|end"))),
                "expired" => 1 + (int)Math.Floor(28 * Licenses.Fraction(key + "|end")),
                "disabled" => 31 + (int)Math.Floor(88 * Licenses.Fraction(key + "|end")),
                _ => 121 + (int)Math.Floor(200 * Licenses.Fraction(key + "|end")),
            };
            var end = DateOnly.FromDateTime(_today.AddDays(-daysSinceEnd).UtcDateTime);
            var start = new DateTimeOffset(end.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddYears(-1);
            return new SimulatedSubscription
            {
                Id = Licenses.StableGuid(key),
                OfferId = $"{product.Sku.ProductSku}:{product.Sku.AvailabilityId}",
                OfferName = product.Sku.Title,
                FriendlyName = product.Sku.Title + " (" + status + ")",
                Quantity = quantity,
                Status = status,
                BillingCycle = "monthly",
                TermDuration = "P1Y",
                CreationDate = start.AddHours(11),
                EffectiveStartDate = start,
                CommitmentEndDate = end,
                CommitmentEndDateTime = EndOfDay(end),
                CancellationAllowedUntil = start.AddDays(7),
                AutoRenewEnabled = false,
                PartnerId = PartnerOf(row),
                OrderId = Licenses.StableGuid(key + "|order"),
                CatalogSku = product.Sku,
                ProductName = product.Name,
                EntraSkuId = product.EntraSkuId,
            };
        }

        // Indirect sales name their reseller of record.
        private string? PartnerOf(SimulatedDeployment row) =>
            row.Channel == "reseller"
                ? (4000000 + (long)Math.Floor(999999 * Licenses.Fraction(customerId + "|partner-id"))).ToString(CultureInfo.InvariantCulture)
                : null;
    }

    private static DateTimeOffset End(DateTimeOffset start, string duration) => duration switch
    {
        "P1M" => start.AddMonths(1),
        "P3Y" => start.AddYears(3),
        _ => start.AddYears(1),
    };

    private static DateTimeOffset Back(DateTimeOffset start, string duration, int terms) => duration switch
    {
        "P1M" => start.AddMonths(-terms),
        "P3Y" => start.AddYears(-3 * terms),
        _ => start.AddYears(-terms),
    };

    private static DateTimeOffset EndOfDay(DateOnly day) => new(day.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.Zero);
}
