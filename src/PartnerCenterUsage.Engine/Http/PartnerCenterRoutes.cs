using System;
using System.Globalization;

namespace PartnerCenterUsage.Engine.Http;

/// <summary>The one place that knows the Partner Center URL templates (relative to the API base URL).</summary>
internal static class PartnerCenterRoutes
{
    /// <summary>GET: the licenses usage insights of one customer.</summary>
    public static string CustomerLicensesUsage(Guid customerId) =>
        string.Format(CultureInfo.InvariantCulture, "v1/customers/{0:D}/analytics/licenses/usage", customerId);
}
