#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0.0' }
<#
    What only a real shell shows: the default views (usage, deployment, SKUs, subscriptions, customers, the partner's)
    as a terminal of 80 or 120 columns and a redirected file render them, a transcript and the serialized context and errors (never a token), and ForEach-Object -Parallel's runspaces.
    Each rendering runs in a new pwsh, in a pseudo-terminal of the given width or with its output redirected.
#>

BeforeDiscovery {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:NoPseudoTerminal = -not (Test-PseudoTerminal)
}

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestSupport.ps1')
    $script:Module = Get-BuiltModule
    $script:Simulator = Start-TestSimulator -Customers 12
    Import-Module $script:Module -Force
    Connect-PCPartner -AccessToken simulator-token -Endpoint $script:Simulator.Endpoint | Out-Null
    $script:Customers = Get-PCCustomer | Select-Object -First 4
    $script:Rows = $script:Customers | Get-PCCustomerLicenseUsage

    # A new pwsh, connected to the simulator, that runs $Body and lets PowerShell render what it writes.
    function Invoke-Rendering {
        param([string] $Body, [int] $Width)
        # No progress bar: in a pseudo-terminal nobody answers its cursor-position queries, so each would wait for a
        # timeout, and its lines would mix with the table's. A terminal answers at once; redirected output has none.
        $script = @"
`$ErrorActionPreference = 'Stop'
`$ProgressPreference = 'SilentlyContinue'
Import-Module '$script:Module'
Connect-PCPartner -AccessToken simulator-token -Endpoint '$($script:Simulator.Endpoint)' | Out-Null
$Body
"@
        $result = Invoke-ChildShell -Script $script -Width $Width
        $result.ExitCode | Should -Be 0 -Because $result.Text
        $result.Text
    }

    # A value as a column of that width shows it: whole, or cut with an ellipsis.
    function Get-Shown {
        param([string] $Value, [int] $Width)
        if ($Value.Length -gt $Width) { [regex]::Escape($Value.Substring(0, $Width - 1)) + '…' } else { [regex]::Escape($Value) }
    }

    # The table row of one usage row as output 80 wide shows it: customer, product and workload (as far as their columns
    # show them), the licenses that qualify and those inactive.
    function Get-RowPattern {
        param($Row)
        '^{0}\s+{1}\s+{2}\s+{3}\s+{4}' -f (Get-Shown $Row.CustomerName 19), (Get-Shown $Row.ProductName 25), (Get-Shown $Row.WorkloadName 14),
            $Row.LicensesQualified, $Row.LicensesInactive
    }

    $script:UsageScript = "Get-PCCustomerLicenseUsage -CustomerId $(($script:Customers.CustomerId | ForEach-Object { "'$_'" }) -join ',')"
}

AfterAll {
    Disconnect-PCPartner -ErrorAction SilentlyContinue
    Stop-TestSimulator $script:Simulator
}

Describe 'The usage table' {
    It 'shows customer, product, workload, qualified, inactive, active and usage % at 120 columns' -Skip:$script:NoPseudoTerminal {
        $text = Invoke-Rendering -Body $script:UsageScript -Width 120

        $lines = $text -split "`n"
        ($lines | Where-Object { $_ -match '^CustomerName' }) -split '\s+' | Should -Be @('CustomerName', 'ProductName', 'WorkloadName', 'Qualified', 'Inactive', 'Active', 'Usage%')
        foreach ($row in $script:Rows) {
            @($lines | Where-Object { $_ -match ((Get-RowPattern $row) + '\s+' + $row.LicensesActive + '\s+' + [regex]::Escape($row.UsagePercent.ToString('0.0', [cultureinfo]::InvariantCulture)) + '%\s*$') }).Count |
                Should -BeGreaterThan 0 -Because "$($row.CustomerName) / $($row.ProductName) / $($row.WorkloadName)"
        }
        $lines | ForEach-Object { $_.Length | Should -BeLessThan 120 }
    }

    It 'keeps customer, product, workload, qualified and inactive at 80 columns, so no row reads as another repeated' -Skip:$script:NoPseudoTerminal {
        $text = Invoke-Rendering -Body $script:UsageScript -Width 80

        $lines = @($text -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ })
        ($lines | Where-Object { $_ -match '^CustomerName' }) -split '\s+' | Should -Be @('CustomerName', 'ProductName', 'WorkloadName', 'Qualified', 'Inactive')
        foreach ($row in $script:Rows) {
            @($lines | Where-Object { $_ -match ((Get-RowPattern $row) + '\s*$') }).Count | Should -BeGreaterThan 0 -Because "$($row.CustomerName) / $($row.ProductName) / $($row.WorkloadName)"
        }
        $lines | Group-Object | Where-Object Count -gt 1 | ForEach-Object Name | Should -BeNullOrEmpty
        $lines | ForEach-Object { $_.Length | Should -BeLessThan 80 }
    }

    It 'keeps customer, product, workload, qualified and inactive in redirected output (a file, a scheduled task''s log)' {
        $text = Invoke-Rendering -Body $script:UsageScript

        foreach ($row in $script:Rows) {
            @($text -split "`n" | Where-Object { $_ -match ((Get-RowPattern $row) + '\s*$') }).Count | Should -BeGreaterThan 0 -Because "$($row.CustomerName) / $($row.ProductName) / $($row.WorkloadName)"
        }
    }

    It 'shows the workload of every row at 80 columns (Out-String -Width 80), each row a line of its own' {
        # The portfolio's rows: products of several workloads each, which without the workload read as one row repeated.
        $rows = @(Get-PCLicenseUsage)
        @($rows | Group-Object CustomerId, ProductName | Where-Object Count -gt 1).Count | Should -BeGreaterThan 0

        $lines = @(($rows | Format-Table | Out-String -Width 80) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ } | Select-Object -Skip 2)

        $lines.Count | Should -Be $rows.Count
        for ($i = 0; $i -lt $rows.Count; $i++) {
            $lines[$i] | Should -Match ('^.{20}.{26}' + (Get-Shown $rows[$i].WorkloadName 14) + '\s')
        }
        $lines | Group-Object | Where-Object Count -gt 1 | ForEach-Object Name | Should -BeNullOrEmpty
    }
}

Describe 'Every table at 80 columns' {
    It 'shows no two of the <Name> as one line' -ForEach @(
        @{ Name = 'usage rows'; Script = { Get-PCLicenseUsage } }
        @{ Name = 'usage groups of customer, product and workload'; Script = { Get-PCLicenseUsage -GroupBy CustomerName, ProductName, WorkloadName } }
        @{ Name = 'deployment rows'; Script = { Get-PCLicenseDeployment } }
        @{ Name = 'deployment groups of customer, product and channel'; Script = { Get-PCLicenseDeployment -GroupBy CustomerName, ProductName, Channel } }
        @{ Name = 'subscribed SKUs'; Script = { Get-PCCustomer | Get-PCCustomerSubscribedSku } }
        @{ Name = 'subscriptions'; Script = { Get-PCCustomer | Get-PCCustomerSubscription } }
        @{ Name = 'license reductions'; Script = { Get-PCLicenseReduction } }
        @{ Name = 'partner''s usage rows'; Script = { Get-PCPartnerLicenseUsage } }
        @{ Name = 'partner''s deployment rows'; Script = { Get-PCPartnerLicenseDeployment } }
        @{ Name = 'customers'; Script = { Get-PCCustomer } }
    ) {
        $rows = @(& $Script)
        $rows.Count | Should -BeGreaterThan 1

        $lines = @(($rows | Format-Table | Out-String -Width 80) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ } | Select-Object -Skip 2)

        $lines.Count | Should -Be $rows.Count
        $lines | Group-Object | Where-Object Count -gt 1 | ForEach-Object Name | Should -BeNullOrEmpty
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual 80 }
    }
}

Describe 'The deployment and grouped tables' {
    It 'keep customer, product, sold, deployed and unassigned at 80 columns' -Skip:$script:NoPseudoTerminal {
        $text = Invoke-Rendering -Body 'Get-PCLicenseDeployment' -Width 80
        $rows = Get-PCLicenseDeployment

        $lines = $text -split "`n"
        ($lines | Where-Object { $_ -match '^CustomerName' }) -split '\s+' | Should -Be @('CustomerName', 'ProductName', 'Sold', 'Deployed', 'Unassigned')
        foreach ($row in $rows) {
            $pattern = '^{0}\s+{1}\s+{2}\s+{3}\s+{4}\s*$' -f (Get-Shown $row.CustomerName 22), (Get-Shown $row.ProductName 29), $row.LicensesSold, $row.LicensesDeployed, $row.LicensesUnassigned
            @($lines | Where-Object { $_ -match $pattern }).Count | Should -BeGreaterThan 0 -Because "$($row.CustomerName) / $($row.ProductName)"
        }
    }

    It 'keep customer, product and the counts of one customer''s deployment and SKUs in redirected output' {
        $ids = ($script:Customers.CustomerId | ForEach-Object { "'$_'" }) -join ','
        # The customers piped in, as a user would: their names come with them onto the rows.
        $deployment = Invoke-Rendering -Body "Get-PCCustomer | Where-Object CustomerId -in $ids | Get-PCCustomerLicenseDeployment"
        $skus = Invoke-Rendering -Body "Get-PCCustomer | Where-Object CustomerId -in $ids | Get-PCCustomerSubscribedSku"

        # Output 80 wide: the column after the counts is left out whole, not squeezed into what is left.
        ($deployment -split "`n" | Where-Object { $_ -match '^CustomerName' }) -split '\s+' | Should -Be @('CustomerName', 'ProductName', 'Sold', 'Deployed', 'Unassigned')
        ($skus -split "`n" | Where-Object { $_ -match '^CustomerName' }) -split '\s+' | Should -Be @('CustomerName', 'ProductName', 'Total', 'Consumed', 'Available')
        foreach ($row in $script:Customers | Get-PCCustomerLicenseDeployment) {
            $pattern = '^{0}\s+{1}\s+{2}\s+{3}\s+{4}\s*$' -f (Get-Shown $row.CustomerName 22), (Get-Shown $row.ProductName 29), $row.LicensesSold, $row.LicensesDeployed, $row.LicensesUnassigned
            $deployment | Should -Match "(?m)$pattern"
        }
        foreach ($sku in $script:Customers | Get-PCCustomerSubscribedSku) {
            $pattern = '^{0}\s+{1}\s+{2}\s+{3}\s+{4}\s*$' -f (Get-Shown $sku.CustomerName 22), (Get-Shown $sku.ProductName 30), $sku.TotalUnits, $sku.ConsumedUnits, $sku.AvailableUnits
            $skus | Should -Match "(?m)$pattern"
        }
    }

    It 'show the group whole, and what qualifies and is inactive, in redirected output' {
        $text = Invoke-Rendering -Body 'Get-PCLicenseUsage -GroupBy ProductName, WorkloadName'
        $rows = Get-PCLicenseUsage -GroupBy ProductName, WorkloadName

        ($text -split "`n" | Where-Object { $_ -match '^Group' }) -split '\s+' | Should -Be @('Group', 'Qualified', 'Inactive')
        foreach ($row in $rows) {
            $pattern = '^{0}\s+{1}\s+{2}\s*$' -f [regex]::Escape("$($row.ProductName) / $($row.WorkloadName)"), $row.LicensesQualified, $row.LicensesInactive
            $text | Should -Match "(?m)$pattern"
        }
    }

    It 'cut a group too long for its column in the middle, keeping its first and last part' {
        # The group as the views join it, of the properties these groupings set (a deployment row has no workload).
        function Get-Group {
            param($Row)
            (@('CustomerName', 'ProductName', 'WorkloadName', 'Channel') | Where-Object { $Row.PSObject.Properties[$_] } | ForEach-Object { $Row.$_ } | Where-Object { $_ }) -join ' / '
        }
        $usage = @(Get-PCLicenseUsage -GroupBy CustomerName, ProductName, WorkloadName)
        $deployment = @(Get-PCLicenseDeployment -GroupBy CustomerName, ProductName, Channel)

        foreach ($set in @(@{ Rows = $usage; Room = 59 }, @{ Rows = $deployment; Room = 38 })) {
            $lines = @(($set.Rows | Format-Table | Out-String -Width 80) -split "`n" | ForEach-Object TrimEnd | Where-Object { $_ } | Select-Object -Skip 2)
            $lines.Count | Should -Be $set.Rows.Count
            @($set.Rows | Where-Object { (Get-Group $_).Length -gt $set.Room }).Count | Should -BeGreaterThan 0
            for ($i = 0; $i -lt $lines.Count; $i++) {
                $group = Get-Group $set.Rows[$i]
                $shown = if ($group.Length -gt $set.Room) {
                    $group.Substring(0, [math]::Floor(($set.Room - 1) / 2)) + '…' + $group.Substring($group.Length - [math]::Ceiling(($set.Room - 1) / 2))
                }
                else { $group }
                $lines[$i].StartsWith($shown.PadRight($set.Room) + ' ') | Should -BeTrue -Because "$group is shown as $($lines[$i])"
            }
        }
    }
}

Describe 'The subscription table' {
    BeforeAll {
        $ids = ($script:Customers.CustomerId | ForEach-Object { "'$_'" }) -join ','
        # The customers piped in, as a user would: their names come with them onto the rows.
        $script:SubscriptionScript = "Get-PCCustomer | Where-Object CustomerId -in $ids | Get-PCCustomerSubscription"
        $script:Subscriptions = @(Get-PCCustomer | Where-Object CustomerId -in $script:Customers.CustomerId | Get-PCCustomerSubscription)
        $script:SubscriptionColumns = @('CustomerName', 'Subscription', 'Seats', 'Status', 'Term', 'TermEnd', 'Renew', 'Refund')

        # The table row of one subscription: every column as far as its width shows it, an unknown one empty.
        function Get-SubscriptionPattern {
            param($Row)
            $cycle = @{ monthly = 'mo'; annual = 'yr'; triennial = '3yr'; biennial = '2yr'; one_time = 'once' }[$Row.BillingCycle]
            $term = @($Row.TermDuration -replace '^P', ''; if ($cycle) { $cycle } else { $Row.BillingCycle }) -join '/'
            $renew = if ($Row.AutoRenewEnabled) { 'Yes' } else { 'No' }
            $parts = @(
                (Get-Shown $Row.CustomerName 13), (Get-Shown $Row.FriendlyName 17), $Row.Quantity, (Get-Shown $Row.Status 9), (Get-Shown $term 7),
                $Row.TermEnd.UtcDateTime.ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture), $renew, $Row.RefundableQuantity
            ) | Where-Object { "$_" -ne '' }
            '^' + ($parts -join '\s+') + '\s*$'
        }
    }

    It 'keeps customer, subscription, seats, status, term, its end, renewal and refundable seats at 80 columns' -Skip:$script:NoPseudoTerminal {
        $text = Invoke-Rendering -Body $script:SubscriptionScript -Width 80

        $lines = $text -split "`n"
        ($lines | Where-Object { $_ -match '^CustomerName' }) -split '\s+' | Should -Be $script:SubscriptionColumns
        $script:Subscriptions.Count | Should -BeGreaterThan 0
        foreach ($row in $script:Subscriptions) {
            @($lines | Where-Object { $_ -match (Get-SubscriptionPattern $row) }).Count | Should -BeGreaterThan 0 -Because "$($row.CustomerName) / $($row.FriendlyName)"
        }
        $lines | ForEach-Object { $_.Length | Should -BeLessThan 80 }
    }

    It 'keeps the same columns in redirected output, the seats of the next term left out whole' {
        $text = Invoke-Rendering -Body $script:SubscriptionScript

        ($text -split "`n" | Where-Object { $_ -match '^CustomerName' }) -split '\s+' | Should -Be $script:SubscriptionColumns
        foreach ($row in $script:Subscriptions) {
            $text | Should -Match ('(?m)' + (Get-SubscriptionPattern $row))
        }
    }
}

Describe 'The customer table' {
    It 'shows each customer id whole at <_> columns' -ForEach 80, 120 -Skip:$script:NoPseudoTerminal {
        $text = Invoke-Rendering -Body 'Get-PCCustomer' -Width $_

        foreach ($customer in $script:Customers) {
            $text | Should -Match ('(?m)^{0}\s+{1}' -f (Get-Shown $customer.CompanyName 28), $customer.CustomerId)
        }
    }

    It 'shows each customer id whole in redirected output' {
        $text = Invoke-Rendering -Body 'Get-PCCustomer'

        foreach ($customer in $script:Customers) {
            $text | Should -Match ('(?m)^{0}\s+{1}' -f (Get-Shown $customer.CompanyName 28), $customer.CustomerId)
        }
    }
}

Describe 'The partner tables' {
    It 'keep every column of the partner''s usage at 80 columns' -Skip:$script:NoPseudoTerminal {
        $text = Invoke-Rendering -Body 'Get-PCPartnerLicenseUsage' -Width 80
        $rows = Get-PCPartnerLicenseUsage

        $lines = $text -split "`n"
        ($lines | Where-Object { $_ -match '^WorkloadName' }) -split '\s+' | Should -Be @('WorkloadName', 'ServiceName', 'Channel', 'Usage%', 'Processed')
        foreach ($row in $rows) {
            $pattern = '^{0}\s+{1}\s+{2}\s+{3}%\s+{4}\s*$' -f (Get-Shown $row.WorkloadName 28), (Get-Shown $row.ServiceName 11), (Get-Shown $row.Channel 8),
                [regex]::Escape($row.ProratedLicensesUsagePercent.ToString('0.0', [cultureinfo]::InvariantCulture)), $row.ProcessedDateTime.ToString('yyyy-MM-dd')
            @($lines | Where-Object { $_ -match $pattern }).Count | Should -BeGreaterThan 0 -Because "$($row.WorkloadName) / $($row.Channel)"
        }
    }

    It 'keep every column of the partner''s deployment at 80 columns' -Skip:$script:NoPseudoTerminal {
        $text = Invoke-Rendering -Body 'Get-PCPartnerLicenseDeployment' -Width 80
        $rows = Get-PCPartnerLicenseDeployment

        $lines = $text -split "`n"
        ($lines | Where-Object { $_ -match '^ProductName' }) -split '\s+' | Should -Be @('ProductName', 'ServiceName', 'Channel', 'Sold', 'Deployed%', 'Processed')
        foreach ($row in $rows) {
            $pattern = '^{0}\s+{1}\s+{2}\s+{3}\s+{4}%\s+{5}\s*$' -f (Get-Shown $row.ProductName 28), (Get-Shown $row.ServiceName 11), (Get-Shown $row.Channel 8),
                $row.LicensesSold, [regex]::Escape($row.ProratedDeploymentPercent.ToString('0.0', [cultureinfo]::InvariantCulture)), $row.ProcessedDateTime.ToString('yyyy-MM-dd')
            @($lines | Where-Object { $_ -match $pattern }).Count | Should -BeGreaterThan 0 -Because "$($row.ProductName) / $($row.Channel)"
        }
    }
}

Describe 'The license reduction table' {
    BeforeAll {
        # The last UTC day to act, as the view shows it: ActBy is the moment a window closes or a renewal happens.
        function Get-LastDay {
            param($Row)
            if ($null -eq $Row.ActBy) { '' } else { $Row.ActBy.UtcDateTime.AddTicks(-1).ToString('yyyy-MM-dd', [cultureinfo]::InvariantCulture) }
        }
    }

    It 'keeps customer, product, the seats to cut, the last day to act and the match in 80 columns' -Skip:$script:NoPseudoTerminal {
        $text = Invoke-Rendering -Body 'Get-PCLicenseReduction' -Width 80
        $rows = @(Get-PCLicenseReduction | Where-Object { $_.Match -eq 'Matched' -and $null -ne $_.UnusedSeats -and $null -ne $_.CuttableNow -and $null -ne $_.CuttableAtRenewal })
        $lines = $text -split "`n"

        ($lines | Where-Object { $_ -match '^CustomerName' }) -split '\s+' | Should -Be @('CustomerName', 'ProductName', 'Unused', 'CutNow', 'AtRenew', 'ActBy', 'Match')
        ($lines | ForEach-Object { $_.TrimEnd().Length } | Measure-Object -Maximum).Maximum | Should -BeLessOrEqual 80
        $rows.Count | Should -BeGreaterThan 0
        # Every kind of match the portfolio has is shown whole, the longest ones (NoSubscription, NotInAnalytics) too.
        foreach ($match in @(Get-PCLicenseReduction).Match | ForEach-Object ToString | Sort-Object -Unique) {
            $text | Should -Match "\s$match\s*(\r?\n|$)"
        }
        foreach ($row in $rows) {
            $pattern = '^{0}\s+{1}\s+{2}\s+{3}\s+{4}\s+{5}\s*Matched\s*$' -f (Get-Shown $row.CustomerName 14), (Get-Shown $row.ProductName 16),
                $row.UnusedSeats, $row.CuttableNow, $row.CuttableAtRenewal, (Get-LastDay $row)
            @($lines | Where-Object { $_ -match $pattern }).Count | Should -BeGreaterThan 0 -Because "$($row.CustomerName) / $($row.ProductName)"
        }
    }

    It 'goes through Export-Csv and Import-Csv with every cell a value and the subscriptions one readable line' {
        $rows = @(Get-PCLicenseReduction)
        $csv = Join-Path $TestDrive 'reductions.csv'
        $rows | Export-Csv -Path $csv -NoTypeInformation
        $back = @(Import-Csv -Path $csv)

        $back.Count | Should -Be $rows.Count
        Get-Content -Path $csv -Raw | Should -Not -Match 'System\.Object\[\]|System\.Collections|PartnerCenterUsage\.Models'
        for ($i = 0; $i -lt $rows.Count; $i++) {
            $back[$i].CustomerId | Should -Be "$($rows[$i].CustomerId)"
            $back[$i].Match | Should -Be "$($rows[$i].Match)"
            $back[$i].PaidSeats | Should -Be "$($rows[$i].PaidSeats)"
            $back[$i].CuttableNow | Should -Be "$($rows[$i].CuttableNow)"
            $back[$i].Subscriptions | Should -Be $rows[$i].Subscriptions.ToString()
        }
        @($back | Where-Object { $_.Subscriptions -match '\(\d+, ends \d{4}-\d\d-\d\d \d\d:\d\dZ, (renews|does not renew)\)' }).Count | Should -BeGreaterThan 0
    }
}

Describe 'No token in what a session keeps' {
    BeforeAll {
        $script:Token = New-TestToken
        $script:Secret = Start-TestSimulator -Customers 5 -Token $script:Token
        $script:Session = Join-Path $TestDrive 'session'
        New-Item -ItemType Directory -Path $script:Session | Out-Null
        $session = @"
Start-Transcript -Path transcript.txt
Import-Module '$script:Module'
`$VerbosePreference = 'Continue'
`$DebugPreference = 'Continue'
Connect-PCPartner -AccessToken `$env:PCU_PESTER_TOKEN -Endpoint '$($script:Secret.Endpoint)' -Verbose -Debug
Get-PCContext
Get-PCContext | Format-List *
Get-PCCustomer -Verbose -Debug | Get-PCCustomerLicenseUsage -Verbose -Debug
Get-PCCustomerLicenseUsage -CustomerId ([guid]::NewGuid()) -Verbose -Debug
Get-PCContext | ConvertTo-Json -Depth 5 | Set-Content context.json
Get-PCContext | Export-Clixml context.xml
`$Error | Export-Clixml errors.xml
Disconnect-PCPartner -Verbose -Debug
Stop-Transcript
"@
        $script:Run = Invoke-ChildShell -Script $session -WorkingDirectory $script:Session -Environment @{ PCU_PESTER_TOKEN = $script:Token }
    }

    AfterAll {
        Stop-TestSimulator $script:Secret
    }

    It 'ran the whole session, verbose and debug, with an error in it' {
        $transcript = Get-Content (Join-Path $script:Session 'transcript.txt') -Raw
        $transcript | Should -Match 'VERBOSE: GET /v1/customers/'
        $transcript | Should -Match 'DEBUG: '
        $transcript | Should -Match 'was not found for this partner'
        $transcript | Should -Match 'admin@pester.example'
    }

    It 'keeps the error record, with its ErrorId, in errors.xml' {
        Get-Content (Join-Path $script:Session 'errors.xml') -Raw | Should -Match 'CustomerNotFound,PartnerCenterUsage'
    }

    It 'keeps no token in <_>' -ForEach 'transcript.txt', 'context.json', 'context.xml', 'errors.xml' {
        $text = Get-Content (Join-Path $script:Session $_) -Raw
        $text | Should -Not -BeNullOrEmpty
        $text.Contains($script:Token) | Should -BeFalse
        $text.Contains($script:Token.Split('.')[2]) | Should -BeFalse -Because 'not even the signature part'
    }

    It 'shows no token on the console' {
        $script:Run.Text.Contains($script:Token.Split('.')[2]) | Should -BeFalse
    }
}

Describe 'ForEach-Object -Parallel' {
    BeforeEach {
        # $using: reads the scope that runs ForEach-Object.
        $module = $script:Module
        $endpoint = $script:Simulator.Endpoint
        $connectFirst = {
            Import-Module $using:module
            if ($_ -eq 1) { Connect-PCPartner -AccessToken simulator-token -Endpoint $using:endpoint | Out-Null }
            [bool](Get-PCContext)
        }
    }

    It 'does not see the connection of the session that runs it' {
        Get-PCContext | Should -Not -BeNullOrEmpty
        1 | ForEach-Object -Parallel { Import-Module $using:module; [bool](Get-PCContext) } | Should -BeFalse
    }

    It 'reuses runspaces without -UseNewRunspace: a connection made in one iteration is there in the next' {
        1..3 | ForEach-Object -ThrottleLimit 1 -Parallel $connectFirst | Should -Be @($true, $true, $true)
    }

    It 'isolates each iteration with -UseNewRunspace' {
        1..3 | ForEach-Object -ThrottleLimit 1 -UseNewRunspace -Parallel $connectFirst | Should -Be @($true, $false, $false)
    }

    It 'runs a report per block with its own connection' {
        $rows = $script:Customers.CustomerId | ForEach-Object -ThrottleLimit 2 -UseNewRunspace -Parallel {
            Import-Module $using:module
            Connect-PCPartner -AccessToken simulator-token -Endpoint $using:endpoint | Out-Null
            Get-PCCustomerLicenseUsage -CustomerId $_
        }
        @($rows).Count | Should -Be @($script:Rows).Count
    }
}
