namespace MgAuth.Crash;

/// <summary>Waits for <c>GET /health/ready</c> to answer 200 (the database opened, recovered if need be, and a rule pack loaded).</summary>
public static class ServiceReadiness
{
    public static async Task<bool> WaitAsync(Uri baseUrl, TimeSpan timeout, Func<bool>? gaveUp = null)
    {
        using var http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && gaveUp?.Invoke() != true)
        {
            try
            {
                using var response = await http.GetAsync("/health/ready");
                if (response.IsSuccessStatusCode) return true;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { }
            await Task.Delay(200);
        }
        return false;
    }
}
