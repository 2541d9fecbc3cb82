#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    The license report as a user runs it in a real pwsh, against the built simulator: connecting, the per-customer and
    portfolio reports, Export-Csv and Import-Csv, Select-Object -First, errors, help, and the README's examples as written.
    Run with tests/Pester/Invoke-PesterSuite.ps1 (or `dotnet test`, which runs it in the pinned pwsh).
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Cmdlets = @((Test-ModuleManifest -Path (Get-BuiltModule)).ExportedCmdlets.Keys)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Cmdlets = @((Test-ModuleManifest -Path (Get-BuiltModule)).ExportedCmdlets.Keys)
    $script:Module = Get-BuiltModule
    # Three earlier months of commercial analytics, for the comparisons; the latest month is the same as without them.
    $script:Simulator = Start-TestSimulator -Customers 30 -HistoryMonths 3
    Import-Module $script:Module -Force
    $script:Context = Connect-PCPartner -AccessToken simulator-token -Endpoint $script:Simulator.Endpoint
}

AfterAll {
    Disconnect-PCPartner -ErrorAction SilentlyContinue
    Stop-TestSimulator $script:Simulator
}

Describe 'Connect-PCPartner' {
    It 'writes the context, which never holds the token' {
        $script:Context.ApiEndpoint.ToString() | Should -Be "$($script:Simulator.Endpoint)/"
        $script:Context.SignInKind.ToString() | Should -Be 'AccessToken'
        ($script:Context | Format-List * | Out-String) | Should -Not -Match 'simulator-token'
    }

    It 'is a connection of this session only' {
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript("Import-Module '$script:Module'; Get-PCContext")
            $other.Invoke() | Should -BeNullOrEmpty
        }
        finally { $other.Dispose() }
    }
}

Describe 'Per-customer report' {
    It 'returns the documented example, five typed rows' {
        $rows = Get-PCCustomerLicenseUsage -CustomerId $script:SeedCustomer
        $rows | Should -HaveCount 5
        $rows[0].CustomerName | Should -Be 'DT DEMO CSP CUSTOMER 005'
        $rows[0].LicensesQualified | Should -BeOfType [long]
        $rows.WorkloadName | Should -Contain 'Skype For Business'
    }
}

Describe 'Portfolio report' {
    It 'streams every customer through Get-PCCustomerLicenseUsage and filters with Where-Object' {
        $customers = Get-PCCustomer
        $customers.Count | Should -Be 31
        $underused = $customers | Get-PCCustomerLicenseUsage | Where-Object { $_.LicensesQualified -gt 0 -and $_.UsagePercent -lt 50 }
        $underused | Should -Not -BeNullOrEmpty
        $underused | ForEach-Object { $_.UsagePercent | Should -BeLessThan 50 }
    }

    It 'keeps the input order of customers' {
        $ids = (Get-PCCustomer | Select-Object -First 10).CustomerId
        $seen = (Get-PCCustomerLicenseUsage -CustomerId $ids).CustomerId | Select-Object -Unique
        $expected = $ids | Where-Object { $seen -contains $_ }
        $seen | Should -Be $expected
    }

    It 'stops sending requests when Select-Object -First has what it needs' {
        $slow = Start-TestSimulator -Customers 300 -LatencyMs 50
        try {
            Connect-PCPartner -AccessToken simulator-token -Endpoint $slow.Endpoint | Out-Null
            $rows = Get-PCCustomer | Get-PCCustomerLicenseUsage | Select-Object -First 3

            $rows | Should -HaveCount 3
            $sent = Get-SimulatorRequestCount $slow
            # One listing page, the requests in flight (8) and a few that completed meanwhile; not 300 customers.
            $sent | Should -BeLessThan 40
        }
        finally {
            Connect-PCPartner -AccessToken simulator-token -Endpoint $script:Simulator.Endpoint | Out-Null
            Stop-TestSimulator $slow
        }
    }
}

Describe 'Portfolio reports from the commercial analytics' {
    It 'stops paging when Select-Object -First has what it needs' {
        $paged = Start-TestSimulator -Customers 200 -CommercialPageSize 20
        try {
            Connect-PCPartner -AccessToken simulator-token -Endpoint $paged.Endpoint | Out-Null
            $rows = Get-PCLicenseUsage | Select-Object -First 3

            $rows | Should -HaveCount 3
            # The first page, and at most the one fetched ahead while it was written; not the 30-odd pages of the report.
            Get-SimulatorRequestCount $paged | Should -BeLessOrEqual 2
        }
        finally {
            Connect-PCPartner -AccessToken simulator-token -Endpoint $script:Simulator.Endpoint | Out-Null
            Stop-TestSimulator $paged
        }
    }

    It 'answers which customers pay for licenses nobody uses, in one pipeline' {
        $waste = Get-PCLicenseUsage -GroupBy CustomerName | Where-Object LicensesInactive -gt 0 | Sort-Object LicensesInactive -Descending
        $perCustomer = Get-PCCustomer | Get-PCCustomerLicenseUsage | Group-Object CustomerName | ForEach-Object {
            [pscustomobject]@{ CustomerName = $_.Name; Inactive = ($_.Group | Measure-Object LicensesInactive -Sum).Sum }
        } | Where-Object Inactive -gt 0

        $waste.Count | Should -Be @($perCustomer).Count
        $waste[0].LicensesInactive | Should -Be ($perCustomer | Measure-Object Inactive -Maximum).Maximum
    }
}

Describe 'Export-Csv and Import-Csv' {
    BeforeAll {
        $script:Rows = Get-PCCustomer | Select-Object -First 6 | Get-PCCustomerLicenseUsage
        $script:Csv = Join-Path $TestDrive 'usage.csv'
        $culture = [cultureinfo]::CurrentCulture
        try {
            # Export-Csv writes numbers and dates in the current culture (PowerShell's rule, not the module's): the
            # invariant culture is what makes a file any script, and any culture's [double] cast, reads back.
            [cultureinfo]::CurrentCulture = [cultureinfo]::InvariantCulture
            $script:Rows | Export-Csv -Path $script:Csv -NoTypeInformation
        }
        finally { [cultureinfo]::CurrentCulture = $culture }

        $script:Back = Import-Csv -Path $script:Csv
    }

    It 'writes one column per property, in the order of the object' {
        $header = (Get-Content $script:Csv -TotalCount 1) -replace '"', '' -split ','
        $header | Should -Be ($script:Rows[0].PSObject.Properties.Name)
        $script:Back | Should -HaveCount $script:Rows.Count
    }

    It 'reads every value back as a string, which a cast turns into the original value' {
        for ($i = 0; $i -lt $script:Rows.Count; $i++) {
            $row = $script:Rows[$i]
            $back = $script:Back[$i]
            foreach ($property in $row.PSObject.Properties) {
                $text = $back.($property.Name)
                $text | Should -BeOfType [string]
                if ($null -eq $property.Value) {
                    $text | Should -BeNullOrEmpty
                    continue
                }

                switch ($property.TypeNameOfValue) {
                    'System.Int64' { [long]$text | Should -Be $property.Value }
                    'System.Double' { [double]$text | Should -Be $property.Value }
                    'System.Guid' { [guid]$text | Should -Be $property.Value }
                    { $_ -like '*DateTimeOffset*' } { [datetimeoffset]$text | Should -Be $property.Value }
                    default { $text | Should -Be ([string]$property.Value) }
                }
            }
        }
    }

    It 'writes numbers with a decimal point, not a culture''s separator' {
        $fractional = $script:Rows | Where-Object { $_.UsagePercent % 1 -ne 0 } | Select-Object -First 1
        $fractional | Should -Not -BeNullOrEmpty
        Get-Content $script:Csv -Raw | Should -Match ([regex]::Escape('"' + $fractional.UsagePercent.ToString([cultureinfo]::InvariantCulture) + '"'))
    }
}

Describe 'Subscriptions through Export-Csv and Import-Csv' {
    BeforeAll {
        $script:Subscriptions = @(Get-PCCustomer | Get-PCCustomerSubscription -IncludeDeleted)
        $script:SubscriptionCsv = Join-Path $TestDrive 'subscriptions.csv'
        $script:Subscriptions | Export-Csv -Path $script:SubscriptionCsv -NoTypeInformation
        $script:SubscriptionsBack = @(Import-Csv -Path $script:SubscriptionCsv)
    }

    It 'writes one row per subscription and one column per property, every cell one value' {
        $script:Subscriptions.Count | Should -BeGreaterThan 10
        $script:SubscriptionsBack | Should -HaveCount $script:Subscriptions.Count
        $script:SubscriptionsBack[0].PSObject.Properties.Name | Should -Be $script:Subscriptions[0].PSObject.Properties.Name
        Get-Content $script:SubscriptionCsv -Raw | Should -Not -Match 'System\.|PartnerCenterUsage\.|Collection'
        $script:SubscriptionsBack.Status | Should -Contain 'deleted'
    }

    It 'writes the refundable seats as one readable cell, each batch with its deadline' {
        $batches = 0
        for ($i = 0; $i -lt $script:Subscriptions.Count; $i++) {
            $seats = @($script:Subscriptions[$i].RefundableSeats)
            $expected = ($seats | ForEach-Object { '{0} until {1}' -f $_.Quantity, $_.AllowedUntil.UtcDateTime.ToString('yyyy-MM-dd HH:mm', [cultureinfo]::InvariantCulture) + 'Z' }) -join '; '
            $script:SubscriptionsBack[$i].RefundableSeats | Should -BeExactly $expected
            $batches += $seats.Count
        }

        $batches | Should -BeGreaterThan 1
        $script:SubscriptionsBack.RefundableSeats | Where-Object { $_ -match '; ' } | Should -Not -BeNullOrEmpty
    }

    It 'reads ids, seats, status, renewal and the end of the term back; an unknown value is an empty cell' {
        for ($i = 0; $i -lt $script:Subscriptions.Count; $i++) {
            $subscription = $script:Subscriptions[$i]
            $back = $script:SubscriptionsBack[$i]
            $back.CustomerId | Should -Be $subscription.CustomerId.ToString()
            $back.CustomerName | Should -BeExactly $subscription.CustomerName
            $back.SubscriptionId | Should -BeExactly $subscription.SubscriptionId
            [long]$back.Quantity | Should -Be $subscription.Quantity
            $back.Status | Should -BeExactly $subscription.Status
            $back.AutoRenewEnabled | Should -Be $subscription.AutoRenewEnabled.ToString()
            [DateTimeOffset]::Parse($back.TermEnd, [cultureinfo]::CurrentCulture) | Should -Be $subscription.TermEnd
            if ($null -eq $subscription.RefundableQuantity) { $back.RefundableQuantity | Should -Be '' } else { [long]$back.RefundableQuantity | Should -Be $subscription.RefundableQuantity }
            if ($null -eq $subscription.NextTermQuantity) { $back.NextTermQuantity | Should -Be '' }
        }

        # Legacy subscriptions say nothing of refunds: empty, not 0.
        @($script:SubscriptionsBack | Where-Object IsNewCommerce -eq 'False' | Where-Object RefundableQuantity -ne '').Count | Should -Be 0
        @($script:SubscriptionsBack | Where-Object IsNewCommerce -eq 'False').Count | Should -BeGreaterThan 0
    }
}

Describe 'Subscribed SKUs through Export-Csv and Import-Csv' {
    BeforeAll {
        $script:Skus = @(Get-PCCustomer | Get-PCCustomerSubscribedSku -LicenseGroup Group1, Group2)
        $script:SkuCsv = Join-Path $TestDrive 'subscribed-skus.csv'
        $script:Skus | Export-Csv -Path $script:SkuCsv -NoTypeInformation
        $script:SkusBack = @(Import-Csv -Path $script:SkuCsv)
    }

    It 'writes one row per SKU, one column per property, both license groups' {
        $script:Skus.Count | Should -BeGreaterThan 10
        $script:SkusBack | Should -HaveCount $script:Skus.Count
        $script:SkusBack[0].PSObject.Properties.Name | Should -Be $script:Skus[0].PSObject.Properties.Name
        $script:SkusBack.LicenseGroupId | Should -Contain 'Group2'
    }

    It 'writes the service plans as their names in one readable cell, never a type name' {
        for ($i = 0; $i -lt $script:Skus.Count; $i++) {
            $names = @($script:Skus[$i].ServicePlans | ForEach-Object DisplayName)
            $names.Count | Should -BeGreaterThan 0
            $script:SkusBack[$i].ServicePlans | Should -BeExactly ($names -join '; ')
            $script:SkusBack[$i].ServicePlanNames | Should -BeExactly ($names -join '; ')
        }

        $script:SkusBack.ServicePlans | Should -Contain 'Minecraft Education'
        Get-Content $script:SkuCsv -Raw | Should -Not -Match 'System\.|PartnerCenterUsage\.|Collection'
    }

    It 'reads the units back as numbers, the customer as its id and the known name' {
        $names = @{}
        Get-PCCustomer | ForEach-Object { $names[$_.CustomerId] = $_.CompanyName }
        for ($i = 0; $i -lt $script:Skus.Count; $i++) {
            $sku = $script:Skus[$i]
            $back = $script:SkusBack[$i]
            [guid]$back.CustomerId | Should -Be $sku.CustomerId
            $back.CustomerName | Should -Be $names[$sku.CustomerId]
            foreach ($units in 'TotalUnits', 'ConsumedUnits', 'AvailableUnits', 'ActiveUnits', 'SuspendedUnits', 'WarningUnits') {
                [long]$back.$units | Should -Be $sku.$units -Because $units
            }

            [long]$back.AvailableUnits | Should -Be ([long]$back.TotalUnits - [long]$back.ConsumedUnits)
        }
    }
}

Describe 'Errors' {
    It 'reports an unknown customer as CustomerNotFound and goes on with the next' {
        $unknown = [guid]::NewGuid()
        $rows = $unknown, $script:SeedCustomer | Get-PCCustomerLicenseUsage -ErrorVariable failed -ErrorAction SilentlyContinue
        $rows | Should -HaveCount 5
        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'CustomerNotFound,*'
        $failed[0].TargetObject | Should -Be $unknown
    }

    It 'refuses an id that is not a GUID before any request' {
        { Get-PCCustomerLicenseUsage -CustomerId 'contoso.onmicrosoft.com' -ErrorAction Stop } | Should -Throw
    }

    It 'stops with NotConnected in a session without Connect-PCPartner' {
        $other = [powershell]::Create()
        try {
            $null = $other.AddScript("Import-Module '$script:Module'; try { Get-PCCustomerLicenseUsage $script:SeedCustomer } catch { `$_.FullyQualifiedErrorId }")
            ($other.Invoke() | Select-Object -First 1) | Should -BeLike 'NotConnected,*'
        }
        finally { $other.Dispose() }
    }
}

Describe 'The README''s examples' {
    BeforeAll {
        $script:Examples = @(Get-MarkedExample -Path (Join-Path $script:RepoRoot 'README.md'))
    }

    It 'marks the examples this suite runs' {
        $script:Examples.Count | Should -BeGreaterOrEqual 2
    }

    It 'runs each marked example as written, signed in to the simulator instead of Partner Center' {
        $customers = (Get-PCCustomer | Select-Object -First 4).CustomerId
        Set-Content -Path (Join-Path $TestDrive 'customers.txt') -Value ($customers + [guid]::NewGuid())
        foreach ($example in $script:Examples) {
            # The sign-in lines need a real tenant: this session is already connected to the simulator.
            $code = ($example -split "`n" | Where-Object { $_ -notmatch '^\s*(Import-Module PartnerCenterUsage|Connect-PCPartner)\b' }) -join "`n"
            Push-Location $TestDrive
            try {
                # As in a user's session: an error about one customer is written, not thrown.
                $ErrorActionPreference = 'Continue'
                $Error.Clear()
                $null = & ([scriptblock]::Create($code)) 2>&1
                @($Error | Where-Object { $_.FullyQualifiedErrorId -notlike 'CustomerNotFound,*' }) | Should -BeNullOrEmpty -Because $code
            }
            finally { Pop-Location }
        }
    }

    It 'writes the inactive-licenses report the README promises, the largest waste first' {
        $report = Join-Path $TestDrive 'inactive-licenses.csv'
        Test-Path $report | Should -BeTrue
        $rows = @(Import-Csv $report)
        $expected = @(Get-PCLicenseUsage | Where-Object LicensesInactive -gt 0)
        $rows | Should -HaveCount $expected.Count
        $rows.Count | Should -BeGreaterThan 1
        [long]$rows[0].LicensesInactive | Should -Be ($expected.LicensesInactive | Measure-Object -Maximum).Maximum
        [guid]$rows[0].CustomerId | Should -BeIn $expected.CustomerId
    }

    It 'writes the HTML reports the README promises: the portfolio, and the month''s with its title' {
        $page = Get-Content -Raw (Join-Path $TestDrive 'license-report.html')
        $page | Should -Match '<h2>Top 10 customers by inactive licenses</h2>'
        $page | Should -Match 'Licenses unassigned'
        $monthly = @(Get-ChildItem $TestDrive -Filter 'license-report-????-??.html')
        $monthly | Should -HaveCount 1
        $page = $monthly[0] | Get-Content -Raw
        $page | Should -Match '<h1>Contoso CSP licenses</h1>'
        $page | Should -Match '<h2>Top 15 customers by inactive licenses</h2>'
        $page | Should -Match 'Units available'
    }
}

Describe 'Help' {
    It 'checks every exported cmdlet' {
        (Get-Command -Module PartnerCenterUsage).Name | Should -Be ((Test-ModuleManifest -Path (Get-BuiltModule)).ExportedCmdlets.Keys | Sort-Object)
        @((Get-Command -Module PartnerCenterUsage).Name | Where-Object { $_ -notin $script:Cmdlets }) | Should -BeNullOrEmpty
    }

    It 'documents <_> with synopsis, parameters and examples' -ForEach $script:Cmdlets {
        $help = Get-Help $_ -Full
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -BeLike "$_ *"
        @($help.examples.example).Count | Should -BeGreaterThan 0
    }

    It 'has the about_PartnerCenterUsage topic' {
        (Get-Help about_PartnerCenterUsage | Out-String) | Should -Match 'THROTTLING AND RETRIES'
    }
}

Describe 'Export-PCLicenseReport' {
    It 'writes the report to a PowerShell path (TestDrive:) and returns the file' {
        $file = Get-PCLicenseUsage | Export-PCLicenseReport -Path TestDrive:/report.html -Title 'Pester report'
        $file | Should -BeOfType System.IO.FileInfo
        $file.FullName | Should -Be (Get-Item TestDrive:/report.html).FullName
        $html = Get-Content -Raw -LiteralPath $file.FullName
        $html | Should -BeLike '<!DOCTYPE html>*'
        $html | Should -BeLike '*<h1>Pester report</h1>*'
        # One script, the page's own table sorter; the Content-Security-Policy lets nothing else load or run. The other
        # script element is the page's figures, a data block no browser runs.
        ([regex]::Matches($html, '<script>')).Count | Should -Be 1
        ([regex]::Matches($html, '<script')).Count | Should -Be 2
        ([regex]::Matches($html, '<script type="application/json" id="license-report-data">')).Count | Should -Be 1
        $html | Should -Match "<meta http-equiv=""Content-Security-Policy"" content=""default-src 'none';"
    }

    It 'refuses an existing file with -NoClobber as Out-File does' {
        'keep me' | Out-File -LiteralPath TestDrive:/kept.html
        { Get-PCLicenseUsage | Export-PCLicenseReport -Path TestDrive:/kept.html -NoClobber -ErrorAction Stop } |
            Should -Throw -ErrorId 'ReportFileExists,*'
        (Get-Content -Raw -LiteralPath TestDrive:/kept.html).Trim() | Should -Be 'keep me'
    }

    It 'writes the section "Act before renewal" from Get-PCLicenseReduction''s rows, piped with the others' {
        $rows = @(Get-PCLicenseReduction)
        $file = & { Get-PCLicenseUsage; Get-PCLicenseDeployment; $rows } | Export-PCLicenseReport -Path TestDrive:/renewal.html
        $html = Get-Content -Raw -LiteralPath $file.FullName

        $html | Should -Match '<h2>Act before renewal</h2>'
        foreach ($days in 30, 60, 90) { $html | Should -Match "<section id=""act-within-$days"" class=""renewal"">" }
        # Seats returnable now: the rows' own CuttableNow, of the matches not flagged, whose window is still open.
        $now = ($rows.AsOf | Measure-Object -Maximum).Maximum
        $returnable = ($rows | Where-Object { $_.Match -notin 'Ambiguous', 'Missing', 'NotInAnalytics' -and $_.CuttableNow -gt 0 -and ($null -eq $_.ReturnableUntil -or $_.ReturnableUntil -gt $now) } |
            Measure-Object CuttableNow -Sum).Sum
        $html | Should -Match ('<span class="value">' + ([long]$returnable).ToString('N0', [cultureinfo]::InvariantCulture) + '</span>Seats returnable now')
        $html | Should -Not -Match 'No license reduction rows \(CustomerLicenseReduction\) were given'
    }

    It 'says, without Get-PCLicenseReduction''s rows, that it has no section "Act before renewal"' {
        $file = Get-PCLicenseUsage | Export-PCLicenseReport -Path TestDrive:/no-renewal.html
        $html = Get-Content -Raw -LiteralPath $file.FullName
        $html | Should -Not -Match 'act-before-renewal'
        $html | Should -Match 'No license reduction rows \(CustomerLicenseReduction\) were given'
    }

    It 'leaves out rows read back from a CSV, with an error naming their type' {
        Get-PCLicenseUsage | Select-Object -First 2 | Export-Csv -LiteralPath TestDrive:/rows.csv
        $file = Import-Csv -LiteralPath TestDrive:/rows.csv |
            Export-PCLicenseReport -Path TestDrive:/csv.html -ErrorVariable refused -ErrorAction SilentlyContinue
        $refused.Count | Should -Be 2
        $refused[0].FullyQualifiedErrorId | Should -BeLike 'UnsupportedReportInput,*'
        $refused[0].ToString() | Should -BeLike '*PSCustomObject*'
        $refused[0].ErrorDetails.RecommendedAction | Should -BeLike '*before they are selected or exported*'
        Get-Content -Raw -LiteralPath $file.FullName | Should -BeLike '*There is no data*'
    }
}

Describe 'Reading a report back' {
    BeforeAll {
        $script:UsageRows = @(Get-PCLicenseUsage)
        $script:DeploymentRows = @(Get-PCLicenseDeployment)
        New-Item -ItemType Directory -Path TestDrive:/reports -Force | Out-Null
        $null = & { $script:UsageRows; $script:DeploymentRows } | Export-PCLicenseReport -Path TestDrive:/reports/license-report-2026-11.html -Title 'November' -ErrorAction Stop
    }

    It 'gives back the figures the report counted: the rows summed per customer, product and workload' {
        $figures = @(Import-PCLicenseReport -Path TestDrive:/reports/license-report-2026-11.html)

        $figures[0].PSObject.TypeNames[0] | Should -Be 'PartnerCenterUsage.Models.LicenseReportFigure'
        $usage = @($figures | Where-Object Kind -EQ Usage)
        $expected = @($script:UsageRows | Group-Object CustomerId, ProductId, ProductName, WorkloadCode, WorkloadName)
        $usage.Count | Should -Be $expected.Count
        foreach ($group in $expected) {
            $first = $group.Group[0]
            # An empty text is no value: the figure holds $null for it.
            $figure = @($usage | Where-Object { $_.CustomerId -eq $first.CustomerId -and [string]$_.ProductId -eq [string]$first.ProductId -and [string]$_.ProductName -eq [string]$first.ProductName -and [string]$_.WorkloadCode -eq [string]$first.WorkloadCode -and [string]$_.WorkloadName -eq [string]$first.WorkloadName })
            $figure | Should -HaveCount 1
            $figure[0].LicensesQualified | Should -Be ($group.Group | Measure-Object LicensesQualified -Sum).Sum
            $figure[0].LicensesActive | Should -Be ($group.Group | Measure-Object LicensesActive -Sum).Sum
        }
        (@($figures | Where-Object Kind -EQ Deployment) | Measure-Object LicensesUnassigned -Sum).Sum |
            Should -Be (($script:DeploymentRows | ForEach-Object { [math]::Max(0, $_.LicensesSold - $_.LicensesDeployed) }) | Measure-Object -Sum).Sum
        $figures.ReportTitle | Select-Object -Unique | Should -Be 'November'
    }

    It 'takes the files Get-ChildItem finds, and its figures round-trip through Export-Csv' {
        $figures = @(Get-ChildItem -LiteralPath TestDrive:/reports -Filter *.html | Import-PCLicenseReport)
        $figures | Export-Csv -LiteralPath TestDrive:/figures.csv
        $back = @(Import-Csv -LiteralPath TestDrive:/figures.csv)

        $back.Count | Should -Be $figures.Count
        $back[0].PSObject.Properties.Name | Should -Contain 'LicensesInactive'
        ($back | Where-Object Kind -EQ Usage | Measure-Object { [long]$_.LicensesInactive } -Sum).Sum |
            Should -Be ($figures | Where-Object Kind -EQ Usage | Measure-Object LicensesInactive -Sum).Sum
        ($back | Where-Object Kind -EQ Usage | Select-Object -First 1).LicensesSold | Should -BeNullOrEmpty
    }

    It 'shows customer, kind, product, workload and the three counts in 80 columns' {
        $figures = @(Import-PCLicenseReport -Path TestDrive:/reports/license-report-2026-11.html)
        $lines = ($figures | Out-String -Width 80) -split "`n"

        ($lines | Where-Object { $_ -match '^CustomerName' }) -split '\s+' | Where-Object { $_ } |
            Should -Be @('CustomerName', 'Kind', 'ProductName', 'WorkloadName', 'Total', 'InUse', 'Unused')
        $lines | ForEach-Object { $_.Length | Should -BeLessThan 80 }
        # Each kind's three counts: usage's qualified, active and inactive.
        $first = $figures | Where-Object { $_.Kind -eq 'Usage' -and $_.LicensesInactive -gt 0 } | Select-Object -First 1
        $lines | Where-Object { $_ -match "\s$($first.LicensesQualified)\s+$($first.LicensesActive)\s+$($first.LicensesInactive)\s*$" } | Should -Not -BeNullOrEmpty
    }

    It 'says a truncated copy is damaged, and writes no figure of it' {
        $bytes = [System.IO.File]::ReadAllBytes((Get-Item TestDrive:/reports/license-report-2026-11.html).FullName)
        [System.IO.File]::WriteAllBytes((Join-Path (Get-Item TestDrive:/).FullName 'cut.html'), $bytes[0..($bytes.Length - 200)])

        $figures = @(Import-PCLicenseReport -Path TestDrive:/cut.html -ErrorVariable damaged -ErrorAction SilentlyContinue)

        $figures | Should -HaveCount 0
        $damaged[0].FullyQualifiedErrorId | Should -BeLike 'ReportFileDamaged,*'
        $damaged[0].ToString() | Should -BeLike '*is cut short*'
    }
}

Describe 'Comparing with an earlier report' {
    BeforeAll {
        $script:October = [datetime]'2026-10-01'
        $script:OctoberRows = @(& { Get-PCLicenseUsage -ProcessedDateTime $script:October; Get-PCLicenseDeployment -ProcessedDateTime $script:October })
        $null = $script:OctoberRows | Export-PCLicenseReport -Path TestDrive:/october.html -Title 'October' -ErrorAction Stop
        $script:NovemberRows = @(& { Get-PCLicenseUsage; Get-PCLicenseDeployment })

        # A headline row's values (then, now, change, in both, new, gone) as the page gives them for sorting.
        function Get-HeadlineRow {
            param([string] $Html, [string] $Figure)
            $section = [regex]::Match($Html, '(?s)<section id="since-baseline"[^>]*>.*?</table>').Value
            $row = [regex]::Match($section, "(?s)<tr><th scope=""row"">$([regex]::Escape($Figure))</th>(.*?)</tr>").Groups[1].Value
            @([regex]::Matches($row, 'data-v="([^"]*)"') | ForEach-Object { $_.Groups[1].Value })
        }

        function Get-Inactive { param($Rows) (($Rows | Where-Object { $_.PSObject.TypeNames[0] -eq 'PartnerCenterUsage.Models.CustomerLicenseUsage' } | ForEach-Object { [math]::Max(0, $_.LicensesQualified - $_.LicensesActive) }) | Measure-Object -Sum).Sum }
    }

    It 'shows this month beside last month''s report file, each change as the two months'' rows make it' {
        $file = $script:NovemberRows | Export-PCLicenseReport -Path TestDrive:/november.html -Baseline TestDrive:/october.html
        $html = Get-Content -Raw -LiteralPath $file.FullName

        $html | Should -Match '<h2>Since 2026-10-01</h2>'
        $then = Get-Inactive $script:OctoberRows
        $now = Get-Inactive $script:NovemberRows
        $values = Get-HeadlineRow $html 'Licenses inactive'
        $values[0..2] | Should -Be @("$then", "$now", "$($now - $then)")
        ([long]$values[3] + [long]$values[4] + [long]$values[5]) | Should -Be ($now - $then)
        $customers = Get-HeadlineRow $html 'Customers'
        $customers[1] | Should -Be "$(@($script:NovemberRows.CustomerId | Select-Object -Unique).Count)"
    }

    It 'compares with the rows of an earlier processed date, without a file, alike' {
        $fromFile = Get-Content -Raw -LiteralPath ($script:NovemberRows | Export-PCLicenseReport -Path TestDrive:/by-file.html -Baseline TestDrive:/october.html).FullName
        $fromRows = Get-Content -Raw -LiteralPath ($script:NovemberRows | Export-PCLicenseReport -Path TestDrive:/by-rows.html -Baseline $script:OctoberRows).FullName

        foreach ($figure in 'Customers', 'Licenses inactive', 'Licenses unassigned') {
            Get-HeadlineRow $fromRows $figure | Should -Be (Get-HeadlineRow $fromFile $figure)
        }
    }

    It 'draws a trend through several months: the reports of a folder' {
        New-Item -ItemType Directory -Path TestDrive:/history -Force | Out-Null
        foreach ($months in 2, 3) {
            $date = (Get-Date '2026-11-01').AddMonths(-$months)
            $null = & { Get-PCLicenseUsage -ProcessedDateTime $date; Get-PCLicenseDeployment -ProcessedDateTime $date } |
                Export-PCLicenseReport -Path "TestDrive:/history/$($date.ToString('yyyy-MM')).html"
        }
        Copy-Item -LiteralPath (Get-Item TestDrive:/october.html).FullName -Destination TestDrive:/history/2026-10.html

        $file = $script:NovemberRows | Export-PCLicenseReport -Path TestDrive:/trend.html -Baseline (Get-ChildItem TestDrive:/history -Filter *.html)
        $html = Get-Content -Raw -LiteralPath $file.FullName

        $html | Should -Match '<h2>Since 2026-10-01</h2>'
        $html | Should -Match 'id="trend-licenses-inactive"'
    }

    It 'writes the report without the comparison, and says why, when the baseline is damaged' {
        Set-Content -LiteralPath TestDrive:/damaged.html -Value '<!DOCTYPE html><meta name="generator" content="PartnerCenterUsage 0.1.0">'
        $file = $script:NovemberRows | Export-PCLicenseReport -Path TestDrive:/no-comparison.html -Baseline TestDrive:/damaged.html -ErrorVariable failed -ErrorAction SilentlyContinue

        $failed | Should -HaveCount 1
        $failed[0].FullyQualifiedErrorId | Should -BeLike 'ReportFileDamaged,*'
        Get-Content -Raw -LiteralPath $file.FullName | Should -Not -Match 'since-baseline'
    }
}
