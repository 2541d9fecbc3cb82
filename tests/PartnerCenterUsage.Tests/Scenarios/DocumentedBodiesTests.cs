using System.Collections;
using System.Globalization;
using System.Management.Automation;
using System.Text.Json;
using PartnerCenterUsage.Tests.Hostile;
using PartnerCenterUsage.Tests.Support;

namespace PartnerCenterUsage.Tests.Scenarios;

/// <summary>
/// Every body of Microsoft's documentation (and one public client's test stubs) in ../shared/corpus, which nobody here
/// wrote, served with its documented status and headers by a loopback server of the test's own and read through the
/// cmdlet of its endpoint in the hosted engine: each documented field the cmdlet's objects carry comes out with its
/// documented value, and a body that is not the endpoint's answer (invalid JSON, another endpoint's items, an error)
/// comes out as the error chosen for it. A guard fails when the corpus holds a body without an expectation here.
/// </summary>
public sealed class DocumentedBodiesTests
{
    private static readonly string CorpusRoot = Repo.Path("..", "shared", "corpus");

    /// <summary>The customer a per-customer request is about when the body names none.</summary>
    private static readonly Guid Asked = Guid.Parse("0112a436-b14e-4888-967b-ca4bb2cf1234");

    /// <summary>The customer the documentation's usage and deployment examples are about (they name it, not its id).</summary>
    private const string DemoCustomer = "DT DEMO CSP CUSTOMER 005";

    private static readonly IReadOnlyDictionary<string, Case> Cases = new Dictionary<string, Case>(StringComparer.Ordinal)
    {
        // ---- customers: Get-PCCustomer's listing and its -Domain search (the same envelope, the same reader) ----
        ["customers/doc-by-domain-2018-bom.json"] = DomainSearch(),
        ["customers/doc-by-domain-2019-amp.json"] = DomainSearch(),
        ["customers/doc-by-domain-2021.json"] = DomainSearch(),

        // "totalCount": 25 over the two items of a page that links to no next one: the documentation's example was cut
        // short when it was written (its 2021 version says 2). Both customers are read as documented.
        ["customers/doc-list-2018-totalcount25.json"] = CustomerList(),
        ["customers/doc-list-2021.json"] = CustomerList(),

        // ---- customer: Get-PCCustomer -CustomerId ----
        ["customer/doc-by-id-2021.json"] = new(
            "v1/customers/eebd1b55-5360-4438-a11d-5c06918c3014",
            "Get-PCCustomer -CustomerId eebd1b55-5360-4438-a11d-5c06918c3014",
            Rows(Row(
                ("CustomerId", Guid.Parse("eebd1b55-5360-4438-a11d-5c06918c3014")),
                ("TenantId", Guid.Parse("eebd1b55-5360-4438-a11d-5c06918c3014")),
                ("CompanyName", "1kl as kjk"),
                ("Domain", "abcdefgh1234.ccsctp.net"),
                ("RelationshipToPartner", "reseller"),
                ("CommerceId", "99e6a635-48e7-424d-9059-c9db944e3c54")))),

        // A company profile without a name: the billing profile's is the customer's name. The body carries a user's
        // password too, which nothing may show.
        ["customer/spring-social-customer.json"] = new(
            "v1/customers/dfd8cc0a-c592-468c-8461-869a38d24738",
            "Get-PCCustomer -CustomerId dfd8cc0a-c592-468c-8461-869a38d24738",
            Both(Rows(Row(
                ("CustomerId", Guid.Parse("dfd8cc0a-c592-468c-8461-869a38d24738")),
                ("TenantId", Guid.Parse("dfd8cc0a-c592-468c-8461-869a38d24738")),
                ("CompanyName", "test company"),
                ("Domain", "xyz.ccsctp.net"),
                ("RelationshipToPartner", "none"),
                ("CommerceId", "0a4ce58a-6f96-4273-8035-d9c7d31b9ba4"))), NothingShows("gfhsdafhjdkslafda"))),

        // ---- customer-usage, customer-deployment: the per-customer insights ----
        ["customer-usage/doc-2018-bom.json"] = CustomerUsage(),
        ["customer-usage/doc-2021.json"] = CustomerUsage(),
        ["customer-deployment/doc-2018-bom.json"] = CustomerDeployment(),
        ["customer-deployment/doc-2021.json"] = CustomerDeployment(),

        // ---- commercial-deployment: Get-PCLicenseDeployment ----
        ["commercial-deployment/doc-2018-two-customers.json"] = new(
            "analytics/commercial/deployment/license",
            "Get-PCLicenseDeployment",
            Rows(
                CommercialDeployment("2018-10-02T00:00:00Z", "o365", "Microsoft Office 365", "4F9D7DF5-8EBD-4973-B221-013976C1078A", "LARACHOTEST123",
                    "D42C793F-6C78-4F43-92CA-E8F6A02B035F", "SKYPE FOR BUSINESS ONLINE (PLAN 2)", deployed: 0, sold: 2),
                CommercialDeployment("2018-10-02T00:00:00Z", "o365", "Microsoft Office 365", "4FD49354-715A-4B49-9079-A77AE978D1DC", "TESTORG",
                    "CDD28E44-67E3-425E-BE4C-737FAB2899D3", "OFFICE 365 BUSINESS", deployed: 0, sold: 2))),
        // One customer's rows, asked for by its id: the filter names it as the documentation's rows and its filter
        // example write ids, in upper case.
        ["commercial-deployment/doc-2021.json"] = new(
            "analytics/commercial/deployment/license",
            "Get-PCLicenseDeployment -CustomerId 0112a436-b14e-4888-967b-ca4bb2cf1234",
            Both(
                Rows(
                    CommercialDeployment("2018-10-14T00:00:00Z", "crm", "Microsoft Dynamics", "0112A436-B14E-4888-967B-CA4BB2CF1234", "TEST COMPANY",
                        "54B84594-9C77-4499-8D65-5E0D5F410E78", "DYNAMICS AX TASK", deployed: 0, sold: 9),
                    CommercialDeployment("2018-10-14T00:00:00Z", "o365", "Microsoft Office 365", "0112A436-B14E-4888-967B-CA4BB2CF1234", "TEST COMPANY",
                        "D3B4FE1F-9992-4930-8ACB-CA6EC609365E", "DOMESTIC AND INTERNATIONAL CALLING PLAN", deployed: 0, sold: 5)),
                Filtered("customerTenantId eq '0112A436-B14E-4888-967B-CA4BB2CF1234'"))),

        // ---- commercial-usage: Get-PCLicenseUsage. Neither documented body is an answer the module can use ----
        // The array of "Value" is never closed: not JSON, so no row is made up from half a page.
        ["commercial-usage/doc-2021-unclosed-array.json"] = new(
            "analytics/commercial/usage/license",
            "Get-PCLicenseUsage",
            Fails("InvalidResponse", ErrorCategory.InvalidResult, "the license usage report request is not the expected JSON")),

        // A copy of the partner-wide usage example (classic envelope, PartnerLicensesUsageInsights items) on the
        // commercial usage page: another endpoint's document.
        ["commercial-usage/doc-2018-classic-items-copy.json"] = new(
            "analytics/commercial/usage/license",
            "Get-PCLicenseUsage",
            Fails("InvalidResponse", ErrorCategory.InvalidResult)),

        // ---- partner-usage, partner-deployment: the partner-wide aggregates ----
        ["partner-usage/doc-2018-bom.json"] = PartnerUsage(),
        ["partner-usage/doc-2021.json"] = PartnerUsage(),
        ["partner-usage/spring-social-fixture.json"] = new(
            "v1/analytics/licenses/usage",
            "Get-PCPartnerLicenseUsage",
            Rows(
                PartnerUsageRow(0.0, "Microsoft Dynamics CRM", "2017-10-09T00:00:00Z", "crm"),
                PartnerUsageRow(2.13, "Exchange", "2017-10-08T00:00:00Z", "o365"),
                PartnerUsageRow(3.14, "SharePoint", "2017-10-08T00:00:00Z", "o365"),
                PartnerUsageRow(5.64, "Skype For Business", "2017-10-08T00:00:00Z", "o365"),
                PartnerUsageRow(0.1, "Teams", "2017-10-08T00:00:00Z", "o365"))),
        ["partner-deployment/doc-2018-bom.json"] = PartnerDeployment(),
        ["partner-deployment/doc-2021.json"] = PartnerDeployment(),

        // Counts written as 206.0: the number they are.
        ["partner-deployment/spring-social-fixture.json"] = new(
            "v1/analytics/licenses/deployment",
            "Get-PCPartnerLicenseDeployment",
            Rows(
                PartnerDeploymentRow(2.43, 206, "2017-10-09T00:00:00Z", "crm"),
                PartnerDeploymentRow(26.16, 474, "2017-10-13T03:55:46.21Z", "o365"))),

        // ---- subscribedskus: Get-PCCustomerSubscribedSku, with -LicenseGroup for the by-license-group examples ----
        ["subscribedskus/doc-list-2019-bom.json"] = SkuList(),
        ["subscribedskus/doc-list-2021-leading-space.json"] = SkuList(),

        // "totalCount": 04 is not JSON, but it is a count the items do not need: all four SKUs are read.
        ["subscribedskus/doc-by-license-group-totalcount04.json"] = SkusByLicenseGroup(),
        ["subscribedskus/doc-by-license-group-bom-totalcount04.json"] = SkusByLicenseGroup(),
        ["subscribedskus/doc-by-license-group-empty.json"] = new(
            "/subscribedskus",
            "Get-PCCustomerSubscribedSku -CustomerId $args[0] -LicenseGroup Group1, Group2",
            Rows()),

        // ---- subscriptions: Get-PCCustomerSubscription ----
        // "totalCount": 37 over one item with no next link: the example lists one of 37 and was cut short when written.
        // Its dates are written with spaces ("2015-11-25T06: 41: 12Z"), as the documentation has them.
        ["subscriptions/doc-2017.json"] = ClassicSubscription(),
        ["subscriptions/doc-2021-entitlementid.json"] = ClassicSubscription(),
        ["subscriptions/doc-by-partner-2021.json"] = new(
            "v1/customers/c501c3c4-d776-40ef-9ecf-9cefb59442c1/subscriptions",
            "Get-PCCustomerSubscription -CustomerId c501c3c4-d776-40ef-9ecf-9cefb59442c1",
            Rows(Row(
                ("CustomerId", Guid.Parse("c501c3c4-d776-40ef-9ecf-9cefb59442c1")),
                ("SubscriptionId", "42226ED6-070A-4E0F-B80C-4CDFB3E97AA7"),
                ("OfferId", "DB2E705F-B82A-4024-A3D5-D88E12F2DB35"),
                ("OfferName", "Intune Device"),
                ("FriendlyName", "new offer purchase"),
                ("Quantity", 5L),
                ("UnitType", "Licenses"),
                ("CreationDate", At("2017-04-10T23:02:26.02Z")),
                ("EffectiveStartDate", At("2017-04-10T00:00:00Z")),
                ("CommitmentEndDate", At("2018-05-07T00:00:00Z")),
                ("Status", "active"),
                ("AutoRenewEnabled", true),
                ("IsTrial", false),
                ("BillingType", "license"),
                ("BillingCycle", "monthly"),
                ("PartnerId", "4847383"),
                ("ContractType", "subscription"),
                ("OrderId", "3EDDCAC6-63B2-4C40-B0B6-F47E18301492")))),

        // One subscription as GET /customers/{id}/subscriptions/{id} answers: no cmdlet asks for one subscription, so
        // it is served where Get-PCCustomerSubscription asks for the list. A lone object where the collection belongs
        // is not the listing's document.
        ["subscriptions/spring-social-single-subscription.json"] = new(
            "v1/customers/cec7381b-58d1-455d-b516-134caf447ffa/subscriptions",
            "Get-PCCustomerSubscription -CustomerId cec7381b-58d1-455d-b516-134caf447ffa",
            Fails("InvalidResponse", ErrorCategory.InvalidResult)),

        // ---- errors: what a cmdlet gives when its request is answered with the documented status and body ----
        ["errors/400-code2000.json"] = new(
            "/analytics/licenses/usage",
            "Get-PCCustomerLicenseUsage -CustomerId $args[0]",
            Fails("RequestRejected", ErrorCategory.InvalidOperation, "2000", "Tenant Id must be a GUID.")),

        // Partner Center's own 404 (code 3000, from PartnerFD) to a request about no single customer.
        ["errors/404-code3000-partnerfd.json"] = new(
            "v1/analytics/licenses/usage",
            "Get-PCPartnerLicenseUsage",
            Fails("ResourceNotFound", ErrorCategory.ObjectNotFound, "3000", "Partner Organization with partner_id 9999999 could not be found")),

        // Partner Center answers an unknown customer with an empty 404, with its MS-CV as documented (the meta's headers
        // are served): for a request about one customer, that customer is not found.
        ["errors/404-empty-body.json"] = new(
            "/v1/customers/",
            "Get-PCCustomer -CustomerId $args[0]",
            Fails("CustomerNotFound", ErrorCategory.ObjectNotFound)),

        // The identity platform's error shape, {error, error_description}, on a 401: a sentence, not raw JSON.
        ["errors/aad-401-invalid-grant.json"] = new(
            "/analytics/licenses/usage",
            "Get-PCCustomerLicenseUsage -CustomerId $args[0]",
            Fails("AuthenticationFailed", ErrorCategory.AuthenticationError, "invalid_grant", "AADSTS70002: Error validating credentials.")),

        // The documentation's schema of an error, placeholders and all, is no body a service sends; it says it comes with
        // a WWW-Authenticate challenge, which is a 401's, so it is served as one to the most common request: the 401
        // stops the run as AuthenticationFailed, and the body, which is no JSON, is shown as an excerpt on one line.
        ["errors/error-schema-template.json"] = new(
            "/analytics/licenses/usage",
            "Get-PCCustomerLicenseUsage -CustomerId $args[0]",
            FailsShowingTheBody("AuthenticationFailed", ErrorCategory.AuthenticationError, "401 Unauthorized", "<string>"),
            Status: 401),

        // The v2 error shape (code, message, description, errorName) of a POST that creates an agreement: no cmdlet
        // posts, and its status is not documented; an agreement that already exists is a conflict, 409, served to a GET
        // of one customer's usage, the most common request: a rejected request, saying Partner Center's code and words.
        ["errors/error-v2-600061.json"] = new(
            "/analytics/licenses/usage",
            "Get-PCCustomerLicenseUsage -CustomerId $args[0]",
            Fails("RequestRejected", ErrorCategory.InvalidOperation, "600061", "A partner confirmed agreement already exists for the customer."),
            Status: 409),

        // Retry-After: 57 with 5 s of throttling budget: not waited short and sent again, but Throttled at once.
        ["errors/throttle-429.json"] = new(
            "/analytics/licenses/usage",
            "Get-PCCustomerLicenseUsage -CustomerId $args[0]",
            Both(Fails("Throttled", ErrorCategory.LimitsExceeded), SentOnce("/analytics/licenses/usage")),
            MaxThrottleWait: TimeSpan.FromSeconds(5)),
    };

    public static TheoryData<string> Bodies => [.. Cases.Keys.Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task A_documented_body_reads_through_its_cmdlet_as_documented(string body)
    {
        var expected = Cases[body];
        await using var scenario = await HostileScenario.StartAsync(client =>
        {
            if (expected.MaxThrottleWait is { } budget)
            {
                client.MaxThrottleWait = budget;
            }
        });
        scenario.Server.On(expected.Route, Documented(body, expected.Status));

        var run = await scenario.RunTimedAsync(expected.Script, Asked);

        expected.Check(new Outcome(run, scenario));
    }

    [Fact]
    public void Every_body_of_the_corpus_has_an_expectation_here_and_every_expectation_has_its_body()
    {
        var bodies = Directory.GetFiles(CorpusRoot, "*.json", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".meta.json", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(CorpusRoot, f).Replace('\\', '/'))
            .ToList();

        Assert.NotEmpty(bodies);
        Assert.Empty(bodies.Where(b => !Cases.ContainsKey(b)).Select(b => "no expectation for " + b));
        Assert.Empty(Cases.Keys.Where(b => !bodies.Contains(b)).Select(b => "no such body: " + b));
    }

    // ---- The answer: the body as documented, with its status and headers ----

    private static HostileResponse Documented(string body, int? status)
    {
        var bytes = File.ReadAllBytes(Path.Combine(CorpusRoot, body));
        using var meta = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(CorpusRoot, Path.ChangeExtension(body, ".meta.json"))));
        var documentedStatus = meta.RootElement.GetProperty("status").GetString()!.Split(' ') is [_, var code, ..]
            && int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : (int?)null;
        var answerStatus = status ?? documentedStatus ?? throw new InvalidOperationException(body + " documents no status: the expectation must choose one");

        string? contentType = null;
        var headers = new List<(string, string)>();
        foreach (var header in meta.RootElement.GetProperty("headers").EnumerateObject())
        {
            // The framing is the server's own: the documented Content-Length was of the documentation's copy.
            if (header.NameEquals("Content-Type"))
            {
                contentType = header.Value.GetString();
            }
            else if (!header.NameEquals("Content-Length") && !header.NameEquals("Date") && !header.NameEquals("Connection"))
            {
                headers.Add((header.Name, header.Value.GetString()!));
            }
        }

        var response = bytes.Length == 0 ? HostileResponse.Status(answerStatus) : HostileResponse.Bytes(bytes, contentType!, answerStatus);
        return response.WithHeaders([.. headers]);
    }

    // ---- Expectations by endpoint ----

    // The tenant ids are written "<guid>", a placeholder: unknown, and noted.
    private static Case CustomerList() => new(
        "v1/customers",
        "Get-PCCustomer",
        RowsNoting("<guid>",
            Row(("CustomerId", Guid.Parse("b44bb1fb-c595-45b0-9e09-d657365580bf")), ("CompanyName", "companyName"), ("Domain", "domain"),
                ("RelationshipToPartner", "reseller"), ("TenantId", null)),
            Row(("CustomerId", Guid.Parse("45c44870-ef77-4fdd-b6fe-3dacb075cff2")), ("CompanyName", "companyName"), ("Domain", "domain"),
                ("RelationshipToPartner", "reseller"), ("TenantId", null))));

    private static Case DomainSearch() => new(
        "v1/customers",
        "Get-PCCustomer -Domain cont",
        Rows(
            DomainCustomer("c5757d70-06f3-4f23-8367-5a9e55019f94", "contoso190.onmicrosoft.com", "Contoso190"),
            DomainCustomer("7b26b357-9ca3-48b8-a58e-4febe2662a5d", "ContosoCorpCo.onmicrosoft.com", "Contoso"),
            DomainCustomer("bfbd6ef0-311f-47ec-bbd7-0fcb7846661b", "contosocorpdemo.onmicrosoft.com", "Contoso")));

    private static Fields DomainCustomer(string id, string domain, string name) => Row(
        ("CustomerId", Guid.Parse(id)), ("TenantId", Guid.Parse(id)), ("Domain", domain), ("CompanyName", name), ("RelationshipToPartner", "reseller"));

    private static Case CustomerUsage() => new(
        "/analytics/licenses/usage",
        "Get-PCCustomerLicenseUsage -CustomerId $args[0]",
        Rows(
            CustomerUsageRow("OFFICE 365 BUSINESS ESSENTIALS", "Exchange", qualified: 1),
            CustomerUsageRow("OFFICE 365 BUSINESS ESSENTIALS", "SharePoint", qualified: 1),
            CustomerUsageRow("OFFICE 365 BUSINESS ESSENTIALS", "Skype For Business", qualified: 1),
            CustomerUsageRow("EXCHANGE ONLINE (PLAN 1)", "Exchange", qualified: 5),
            CustomerUsageRow("EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE", "Exchange", qualified: 2)));

    private static Fields CustomerUsageRow(string product, string workload, long qualified) => Row(
        ("CustomerId", Asked), ("CustomerName", DemoCustomer), ("ProductName", product), ("LicensesActive", 0L), ("LicensesQualified", qualified),
        ("UsagePercent", 0.0), ("WorkloadName", workload), ("ProcessedDateTime", At("2017-03-09T00:00:00+00:00")), ("ServiceName", "o365"),
        ("Channel", "reseller"), ("LicensesInactive", qualified));

    private static Case CustomerDeployment() => new(
        "/analytics/licenses/deployment",
        "Get-PCCustomerLicenseDeployment -CustomerId $args[0]",
        Rows(
            CustomerDeploymentRow("OFFICE 365 BUSINESS ESSENTIALS", sold: 1),
            CustomerDeploymentRow("EXCHANGE ONLINE (PLAN 1)", sold: 5),
            CustomerDeploymentRow("EXCHANGE ONLINE ARCHIVING FOR EXCHANGE ONLINE", sold: 2)));

    private static Fields CustomerDeploymentRow(string product, long sold) => Row(
        ("CustomerId", Asked), ("CustomerName", DemoCustomer), ("ProductName", product), ("LicensesDeployed", 0L), ("DeploymentPercent", 0.0),
        ("LicensesSold", sold), ("ProcessedDateTime", At("2017-03-14T03:25:16.36+00:00")), ("ServiceName", "o365"), ("Channel", "reseller"),
        ("LicensesUnassigned", sold));

    private static Fields CommercialDeployment(
        string processed, string serviceCode, string serviceName, string customer, string customerName, string productId, string product, long deployed, long sold) => Row(
        ("ProcessedDateTime", At(processed)), ("ServiceCode", serviceCode), ("ServiceName", serviceName), ("Channel", "reseller"),
        ("CustomerId", Guid.Parse(customer)), ("CustomerName", customerName), ("ProductId", productId), ("ProductName", product),
        ("LicensesDeployed", deployed), ("LicensesSold", sold), ("LicensesUnassigned", sold - deployed));

    private static Case PartnerUsage() => new(
        "v1/analytics/licenses/usage",
        "Get-PCPartnerLicenseUsage",
        Rows(
            PartnerUsageRow(0.0, "Microsoft Dynamics CRM", "2017-03-10T00:00:00+00:00", "crm"),
            PartnerUsageRow(0.0, "SharePoint", "2017-03-10T00:00:00+00:00", "crm"),
            PartnerUsageRow(0.0, "Exchange", "2017-03-09T00:00:00+00:00", "o365"),
            PartnerUsageRow(0.0, "SharePoint", "2017-03-09T00:00:00+00:00", "o365"),
            PartnerUsageRow(0.0, "Skype For Business", "2017-03-09T00:00:00+00:00", "o365")));

    private static Fields PartnerUsageRow(double percent, string workload, string processed, string service) => Row(
        ("ProratedLicensesUsagePercent", percent), ("WorkloadName", workload), ("ProcessedDateTime", At(processed)), ("ServiceName", service), ("Channel", "reseller"));

    private static Case PartnerDeployment() => new(
        "v1/analytics/licenses/deployment",
        "Get-PCPartnerLicenseDeployment",
        Rows(
            PartnerDeploymentRow(0.0, 343, "2017-03-10T00:00:00+00:00", "crm"),
            PartnerDeploymentRow(1.0, 4464, "2017-03-14T03:25:16.36+00:00", "o365")));

    private static Fields PartnerDeploymentRow(double percent, long sold, string processed, string service) => Row(
        ("ProratedDeploymentPercent", percent), ("LicensesSold", sold), ("ProcessedDateTime", At(processed)), ("ServiceName", service), ("Channel", "reseller"));

    private static Case SkuList() => new(
        "/subscribedskus",
        "Get-PCCustomerSubscribedSku -CustomerId $args[0]",
        Rows(
            Sku("efccb6f7-5641-4e0e-bd10-b4976e1bf68e", "Enterprise Mobility + Security E3", "EMS", "group1", available: 4, active: 5, consumed: 1, total: 5,
                Plan("6c57d4b6-3b23-47a5-9bc9-69f17b4947b3", "Azure Information Protection Premium P1", "RMS_S_PREMIUM", "User"),
                Plan("c1ec4a95-1f05-45b3-a911-aa3fa01094f5", "Microsoft Intune A Direct", "INTUNE_A", "User"),
                Plan("bea4c11e-220a-4e6d-8eb8-8ea15d019f90", "Microsoft Azure Active Directory Rights", "RMS_S_ENTERPRISE", "User"),
                Plan("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "Azure Active Directory Premium P1", "AAD_PREMIUM", "User"),
                Plan("8a256a2b-b617-496d-b51b-e76466e88db0", "Microsoft Azure Multi-Factor Authentication", "MFA_PREMIUM", "User")),
            Sku("f8a1db68-be16-40ed-86d5-cb42ce701560", "Power BI Pro", "POWER_BI_PRO", "group1", available: 0, active: 1, consumed: 1, total: 1,
                Plan("113feb6c-3fe4-4440-bddc-54d774bf0318", "Exchange Foundation", "EXCHANGE_S_FOUNDATION", "Tenant"),
                Plan("70d33638-9c74-4d01-bfd3-562de28bd4ba", "Power BI Pro", "BI_AZURE_P2", "User"))));

    private static Case SkusByLicenseGroup() => new(
        "/subscribedskus",
        "Get-PCCustomerSubscribedSku -CustomerId $args[0] -LicenseGroup Group1, Group2",
        Both(Rows(
            Sku("078d2b04-f1bd-4111-bbd4-b4b1b354cef4", "Azure Active Directory Premium P1", "AAD_PREMIUM", "group1", available: 15, active: 15, consumed: 0, total: 15,
                Plan("113feb6c-3fe4-4440-bddc-54d774bf0318", "Exchange Foundation", "EXCHANGE_S_FOUNDATION", "Tenant"),
                Plan("41781fb2-bc02-4b7c-bd55-b576c07bb09d", "Azure Active Directory Premium P1", "AAD_PREMIUM", "User"),
                Plan("8a256a2b-b617-496d-b51b-e76466e88db0", "Microsoft Azure Multi-Factor Authentication", "MFA_PREMIUM", "User")),
            Sku("54b84594-9c77-4499-8d65-5e0d5f410e78", "Dynamics AX Task", "AX_TASK_USER", "group1", available: 1, active: 1, consumed: 0, total: 1),
            Sku("984df360-9a74-4647-8cf8-696749f6247a", "Minecraft Education Edition Faculty", "CFQ7TTC0K5DR/0002", "group2", available: 23, active: 72, consumed: 49, total: 72),
            Sku("1e7e1070-8ccb-4aca-b470-d7cb538cb07e", "Windows 10 Enterprise E5", "WIN_ENT_E5", "group1", available: 71, active: 112, consumed: 41, total: 112,
                Plan("871d91ec-ec1a-452b-a83f-bd76c7d770ef", "Windows Defender Advanced Threat Protection", "WINDEFATP", "User"),
                Plan("21b439ba-a0ca-424f-a6cc-52f954a5b111", "Windows 10 Enterprise E3", "WIN10_PRO_ENT_SUB", "User"))), SentOnce("licenseGroupIds=Group1&licenseGroupIds=Group2")));

    private static Fields Sku(
        string id, string name, string partNumber, string licenseGroup, long available, long active, long consumed, long total, params Fields[] plans) => Row(
        ("CustomerId", Asked), ("SkuId", id), ("ProductName", name), ("SkuPartNumber", partNumber), ("TargetType", "User"), ("LicenseGroupId", licenseGroup),
        ("AvailableUnits", available), ("ActiveUnits", active), ("ConsumedUnits", consumed), ("SuspendedUnits", 0L), ("TotalUnits", total),
        ("WarningUnits", 0L), ("CapabilityStatus", "Enabled"), ("ServicePlans", plans));

    private static Fields Plan(string id, string name, string serviceName, string targetType) => Row(
        ("Id", id), ("DisplayName", name), ("ServiceName", serviceName), ("CapabilityStatus", "Enabled"), ("TargetType", targetType));

    private static Case ClassicSubscription() => new(
        "/subscriptions",
        "Get-PCCustomerSubscription -CustomerId $args[0]",
        Rows(Row(
            ("CustomerId", Asked),
            ("SubscriptionId", "83ef9d05-4169-4ef9-9657-0e86b1eab1de"),
            ("FriendlyName", "nickname"),
            ("Quantity", 1L),
            ("UnitType", "none"),
            ("CreationDate", At("2015-11-25T06:41:12Z")),
            ("EffectiveStartDate", At("2015-11-24T08:00:00Z")),
            ("CommitmentEndDate", At("2016-12-12T08:00:00Z")),
            ("Status", "active"),
            ("AutoRenewEnabled", false),
            ("BillingType", "none"),
            ("ContractType", "subscription"),
            ("OrderId", "6183db3d-6318-4e52-877e-25806e4971be"))));

    // ---- The checks ----

    /// <summary>No error, no warning, and exactly these objects in this order, each field with its documented value.</summary>
    private static Action<Outcome> Rows(params Fields[] rows) => Read(null, rows);

    /// <summary>As <see cref="Rows"/>, with the one warning that notes a value that could not be read, quoting it.</summary>
    private static Action<Outcome> RowsNoting(string unreadable, params Fields[] rows) => Read(unreadable, rows);

    private static Action<Outcome> Read(string? unreadable, Fields[] rows) => outcome =>
    {
        var run = outcome.Run;
        Assert.Empty(run.Errors.Select(e => $"{e.FullyQualifiedErrorId}: {e}"));
        if (unreadable is null)
        {
            Assert.Empty(run.Warnings);
        }
        else
        {
            Assert.Contains(unreadable, Assert.Single(run.Warnings), StringComparison.Ordinal);
        }

        Assert.Equal(rows.Length, run.Output.Count);
        var differences = new List<string>();
        for (var i = 0; i < rows.Length; i++)
        {
            Compare($"object {i + 1}", rows[i], run.Output[i], differences);
        }

        Assert.Empty(differences);
    };

    private static void Compare(string where, Fields expected, PSObject actual, List<string> differences)
    {
        foreach (var (name, value) in expected.Values)
        {
            var property = actual.Properties[name];
            if (property is null)
            {
                differences.Add($"{where}: no {name}");
                continue;
            }

            var got = actual.Prop(name);
            if (value is Fields[] items)
            {
                var list = got is IEnumerable e and not string ? e.Cast<object>().Select(PSObject.AsPSObject).ToList() : [];
                if (list.Count != items.Length)
                {
                    differences.Add($"{where}: {name} has {list.Count} items, documented {items.Length}");
                    continue;
                }

                for (var j = 0; j < items.Length; j++)
                {
                    Compare($"{where}, {name}[{j}]", items[j], list[j], differences);
                }
            }
            else if (!Equals(value, got))
            {
                differences.Add($"{where}: {name} is {Show(got)}, documented {Show(value)}");
            }
        }
    }

    private static string Show(object? value) => value switch
    {
        null => "$null",
        string s => $"'{s}'",
        DateTimeOffset d => d.ToString("O", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture) + " (" + value.GetType().Name + ")",
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>
    /// No object, and the one error: its ErrorId and category, a message that says the fragments and the MS-RequestId of
    /// the request answered (the module's own, which Partner Center echoes) and shows no raw JSON (no brace, no quoted name).
    /// </summary>
    private static Action<Outcome> Fails(string errorId, ErrorCategory category, params string[] saying) => Failure(errorId, category, saying, bodyShown: false);

    /// <summary>As <see cref="Fails"/>, for a body that is no JSON: its excerpt is shown, on one line.</summary>
    private static Action<Outcome> FailsShowingTheBody(string errorId, ErrorCategory category, params string[] saying) => Failure(errorId, category, saying, bodyShown: true);

    private static Action<Outcome> Failure(string errorId, ErrorCategory category, string[] saying, bool bodyShown) => outcome =>
    {
        var run = outcome.Run;
        Assert.Empty(run.Output);
        Assert.Equal([errorId], run.ErrorIds);
        var error = run.Errors[0];
        Assert.Equal(category, error.CategoryInfo.Category);
        var message = error.ToString();
        Assert.All(saying, s => Assert.Contains(s, message, StringComparison.Ordinal));
        Assert.Contains("MS-RequestId: " + outcome.Scenario.Server.Requests[^1].Header("MS-RequestId"), message, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("\n", message, StringComparison.Ordinal);
        if (!bodyShown)
        {
            Assert.DoesNotContain("{", message, StringComparison.Ordinal);
            Assert.DoesNotContain("\":", message, StringComparison.Ordinal);
        }
    };

    private static Action<Outcome> NothingShows(string secret) => outcome =>
        Assert.DoesNotContain(secret, outcome.Run.VisibleText, StringComparison.Ordinal);

    private static Action<Outcome> SentOnce(string pathOrQueryText) => outcome =>
        Assert.Single(outcome.Scenario.Server.Requests, r => r.PathAndQuery.Contains(pathOrQueryText, StringComparison.OrdinalIgnoreCase));

    private static Action<Outcome> Both(Action<Outcome> first, Action<Outcome> second) => outcome =>
    {
        first(outcome);
        second(outcome);
    };

    private static Action<Outcome> Filtered(string filter) => outcome =>
        Assert.Contains(filter, Assert.Single(outcome.Scenario.Server.Requests).Query("filter") ?? string.Empty, StringComparison.Ordinal);

    private static Fields Row(params (string Name, object? Value)[] values) => new(values);

    private static DateTimeOffset At(string text) => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);

    /// <summary>The documented fields of one object, by the property that carries each.</summary>
    private sealed record Fields((string Name, object? Value)[] Values);

    private sealed record Outcome(HostileRun Run, HostileScenario Scenario);

    /// <summary>
    /// Where the body is served (text of the request's path), the pipeline that reads it ($args[0] is <see cref="Asked"/>),
    /// what must come out, and the status when the documentation gives none.
    /// </summary>
    private sealed record Case(string Route, string Script, Action<Outcome> Check, int? Status = null, TimeSpan? MaxThrottleWait = null);
}
