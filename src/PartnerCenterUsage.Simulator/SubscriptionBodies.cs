using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PartnerCenterUsage.Simulator;

/// <summary>
/// The bodies of the subscription routes, the catalog SKU and the provisioning status, in the documented shapes, and
/// the quirks of <see cref="SimulatorOptions.HostileSubscriptions"/>. Case of the Entra SKU GUID as each documentation
/// example writes it: provisioning status' skuId upper case, the catalog's provisioningId lower case.
/// </summary>
internal static class SubscriptionBodies
{
    /// <summary>GET /v1/customers/{id}/subscriptions: the classic collection, with links.self, not paged.</summary>
    public static byte[] Collection(SimulatedCustomer customer) => Write(json =>
    {
        var quirk = customer.SubscriptionQuirk;
        json.WriteStartObject();
        json.WriteNumber("totalCount", customer.Subscriptions.Count + (quirk == SubscriptionQuirk.ItemNotAnObject ? 1 : 0));
        json.WriteStartArray("items");
        if (quirk == SubscriptionQuirk.ItemNotAnObject)
        {
            json.WriteStringValue("not a subscription");
        }

        for (var i = 0; i < customer.Subscriptions.Count; i++)
        {
            Subscription(json, customer.Id, customer.Subscriptions[i], i == 0 ? quirk : null);
        }

        json.WriteEndArray();
        json.WriteStartObject("links");
        Link(json, "self", $"/customers/{customer.Id}/subscriptions");
        json.WriteEndObject();
        ObjectType(json, "Collection");
        json.WriteEndObject();
    });

    /// <summary>GET /v1/customers/{id}/subscriptions/{subscriptionId}: the subscription, spoilt as in the listing.</summary>
    public static byte[] One(SimulatedCustomer customer, SimulatedSubscription subscription) =>
        Write(json => Subscription(json, customer.Id, subscription, customer.Subscriptions[0] == subscription ? customer.SubscriptionQuirk : null));

    /// <summary>GET .../subscriptions/{id}/provisioningstatus: skuId upper case as in the documentation's example, absent when nothing tells it.</summary>
    public static byte[] ProvisioningStatus(SimulatedSubscription subscription) => Write(json =>
    {
        json.WriteStartObject();
        if (subscription.ProvisioningStatusHasSkuId)
        {
            json.WriteString("skuId", subscription.EntraSkuId.ToString("D").ToUpperInvariant());
        }

        json.WriteString("status", "success");
        json.WriteNumber("quantity", subscription.Quantity);
        json.WriteString("endDate", Midnight(subscription.CommitmentEndDate));
        ObjectType(json, "SubscriptionProvisioningStatus");
        json.WriteEndObject();
    });

    /// <summary>GET /v1/products/{productId}/skus/{skuId}?country=..: the SKU; provisioningId lower case, comma-separated for a bundle, absent when it has none.</summary>
    public static byte[] CatalogSku(SimulatedCatalogSku sku, string country) => Write(json =>
    {
        json.WriteStartObject();
        json.WriteString("id", sku.SkuId);
        json.WriteString("productId", sku.ProductId);
        json.WriteString("title", sku.Title);
        json.WriteString("description", sku.Description);
        json.WriteNumber("minimumQuantity", sku.MinimumQuantity);
        json.WriteNumber("maximumQuantity", sku.MaximumQuantity);
        json.WriteBoolean("isTrial", false);
        Strings(json, "supportedBillingCycles", sku.SupportedBillingCycles);
        Strings(json, "purchasePrerequisites", ["MicrosoftCloudAgreement"]);
        Strings(json, "inventoryVariables", []);
        Strings(json, "provisioningVariables", []);
        Strings(json, "actions", ["Refund"]);
        json.WriteStartObject("dynamicAttributes");
        json.WriteBoolean("isMicrosoftProduct", true);
        json.WriteBoolean("hasConstraints", true);
        json.WriteBoolean("isAddon", sku.IsAddon);
        Strings(json, "prerequisiteSkus", sku.IsAddon
            ? [ProductCatalog.Products[ProductCatalog.ExchangePlan1].Sku.ProductSku, ProductCatalog.Products[ProductCatalog.E3].Sku.ProductSku]
            : []);
        json.WriteBoolean("isSoftwareAssuranceApplicable", false);
        Strings(json, "upgradeTargetOffers", []);
        if (sku.ProvisioningIds.Count > 0)
        {
            json.WriteString("provisioningId", string.Join(",", sku.ProvisioningIds.Select(g => g.ToString("D"))));
        }

        json.WriteBoolean("internal", false);
        json.WriteEndObject();
        json.WriteStartObject("links");
        Link(json, "availabilities", $"/products/{sku.ProductId}/skus/{sku.SkuId}/availabilities?country={country}");
        Link(json, "self", $"/products/{sku.ProductId}/skus/{sku.SkuId}?country={country}");
        json.WriteEndObject();
        ObjectType(json, "Sku");
        json.WriteEndObject();
    });

    private static void Subscription(Utf8JsonWriter json, Guid customerId, SimulatedSubscription s, SubscriptionQuirk? quirk)
    {
        json.WriteStartObject();
        if (quirk != SubscriptionQuirk.MissingId)
        {
            json.WriteString("id", s.Id);
        }

        if (quirk == SubscriptionQuirk.NullOptionalFields)
        {
            foreach (var name in (string[])["offerId", "offerName", "friendlyName", "productType", "quantity", "unitType", "parentSubscriptionId", "creationDate",
                "effectiveStartDate", "commitmentEndDate", "commitmentEndDateTime", "cancellationAllowedUntilDate", "status", "autoRenewEnabled", "isTrial",
                "billingType", "billingCycle", "termDuration", "refundOptions", "refundableQuantity", "scheduledNextTermInstructions", "partnerId",
                "contractType", "orderId", "links", "attributes"])
            {
                json.WriteNull(name);
            }

            json.WriteEndObject();
            return;
        }

        json.WriteString("offerId", s.OfferId);
        json.WriteString("offerName", s.OfferName);
        json.WriteString("friendlyName", s.FriendlyName);
        json.WriteStartObject("productType");
        json.WriteString("id", s.ProductType);
        json.WriteString("displayName", s.ProductType);
        json.WriteEndObject();
        switch (quirk)
        {
            case SubscriptionQuirk.QuantityAsString:
                json.WriteString("quantity", s.Quantity.ToString(CultureInfo.InvariantCulture));
                break;
            case SubscriptionQuirk.QuantityFractional:
                json.WriteNumber("quantity", s.Quantity + 0.5);
                break;
            default:
                json.WriteNumber("quantity", s.Quantity);
                break;
        }

        json.WriteString("unitType", "Licenses");
        if (s.ParentSubscriptionId is { } parent)
        {
            json.WriteString("parentSubscriptionId", parent);
        }

        Date(json, "creationDate", s.CreationDate, quirk);
        Date(json, "effectiveStartDate", s.EffectiveStartDate, quirk);
        Date(json, "commitmentEndDate", new DateTimeOffset(s.CommitmentEndDate.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), quirk);
        Date(json, "commitmentEndDateTime", s.CommitmentEndDateTime, quirk);
        if (!s.IsLegacy)
        {
            // Null, not absent, for a subscription that cannot be cancelled (a trial), as the field table says.
            if (s.CancellationAllowedUntil is { } until)
            {
                Date(json, "cancellationAllowedUntilDate", until, quirk);
            }
            else
            {
                json.WriteNull("cancellationAllowedUntilDate");
            }
        }

        json.WriteString("status", quirk == SubscriptionQuirk.UnknownStatus ? "migrating" : s.Status);
        if (quirk == SubscriptionQuirk.AutoRenewAsString)
        {
            json.WriteString("autoRenewEnabled", s.AutoRenewEnabled ? "true" : "false");
        }
        else
        {
            json.WriteBoolean("autoRenewEnabled", s.AutoRenewEnabled);
        }

        if (quirk == SubscriptionQuirk.IsTrialAsNumber)
        {
            json.WriteNumber("isTrial", s.IsTrial ? 1 : 0);
        }
        else
        {
            json.WriteBoolean("isTrial", s.IsTrial);
        }

        json.WriteString("billingType", "license");
        json.WriteString("billingCycle", quirk == SubscriptionQuirk.UnknownBillingCycle ? "fortnightly" : s.BillingCycle);
        json.WriteString("termDuration", s.TermDuration);
        if (!s.IsLegacy)
        {
            json.WriteStartArray("refundOptions");
            foreach (var option in s.RefundOptions)
            {
                json.WriteStartObject();
                json.WriteString("type", option.Type);
                Date(json, "expiresAt", option.ExpiresAt, quirk);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteStartObject("refundableQuantity");
            json.WriteNumber("totalQuantity", s.RefundableQuantity ?? 0);
            json.WriteStartArray("details");
            foreach (var batch in s.RefundableBatches)
            {
                json.WriteStartObject();
                json.WriteNumber("quantity", batch.Quantity);
                Date(json, "allowedUntilDateTime", batch.AllowedUntil, quirk);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        if (s.NextTerm is { } next && s.CatalogSku is { } sku)
        {
            json.WriteStartObject("scheduledNextTermInstructions");
            json.WriteStartObject("product");
            json.WriteString("productId", sku.ProductId);
            json.WriteString("skuId", sku.SkuId);
            json.WriteString("availabilityId", sku.AvailabilityId);
            json.WriteString("billingCycle", next.BillingCycle);
            json.WriteString("termDuration", next.TermDuration);
            json.WriteEndObject();
            json.WriteNumber("quantity", next.Quantity);
            json.WriteEndObject();
        }

        if (s.PartnerId is { } partnerId)
        {
            json.WriteString("partnerId", partnerId);
        }

        json.WriteString("contractType", "subscription");
        json.WriteString("orderId", s.OrderId);
        json.WriteStartObject("links");
        if (s.CatalogSku is { } catalog)
        {
            Link(json, "product", $"/products/{catalog.ProductId}?country=US");
            Link(json, "sku", $"/products/{catalog.ProductId}/skus/{catalog.SkuId}?country=US");
            Link(json, "availability", $"/products/{catalog.ProductId}/skus/{catalog.SkuId}/availabilities/{catalog.AvailabilityId}?country=US");
        }
        else
        {
            Link(json, "offer", $"/offers/{s.OfferId}?country=US");
        }

        Link(json, "self", $"/customers/{customerId}/subscriptions/{s.Id}");
        json.WriteEndObject();
        json.WriteStartObject("attributes");
        json.WriteString("etag", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"id\":\"{s.Id}\",\"version\":1}}")));
        json.WriteString("objectType", "Subscription");
        json.WriteEndObject();
        json.WriteEndObject();
    }

    // A date-time in UTC with Z, as the documentation's subscription examples write them; or as the quirk spoils it.
    private static void Date(Utf8JsonWriter json, string name, DateTimeOffset? value, SubscriptionQuirk? quirk)
    {
        if (value is not { } date)
        {
            return;
        }

        var utc = date.UtcDateTime;
        json.WriteString(name, quirk switch
        {
            SubscriptionQuirk.DatesWithoutOffset => utc.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture),
            SubscriptionQuirk.DateOnlyStrings => utc.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            SubscriptionQuirk.UnreadableDates => utc.ToString("yyyy-MM-dd'T'HH': 'mm': 'ss'Z'", CultureInfo.InvariantCulture),
            _ => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture),
        });
    }

    private static string Midnight(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z";

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }

    private static void Link(Utf8JsonWriter json, string name, string uri)
    {
        json.WriteStartObject(name);
        json.WriteString("uri", uri);
        json.WriteString("method", "GET");
        json.WriteStartArray("headers");
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void ObjectType(Utf8JsonWriter json, string objectType)
    {
        json.WriteStartObject("attributes");
        json.WriteString("objectType", objectType);
        json.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            write(json);
        }

        return buffer.ToArray();
    }
}
