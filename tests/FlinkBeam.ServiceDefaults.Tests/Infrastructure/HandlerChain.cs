using Microsoft.Extensions.DependencyInjection;

namespace FlinkBeam.ServiceDefaults.Tests.Infrastructure;

/// <summary>The delegating handlers the client factory puts in front of a named client's primary handler, outermost first.</summary>
internal static class HandlerChain
{
    public static IReadOnlyList<string> Of(IServiceProvider services, string clientName)
    {
        var chain = new List<string>();
        var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(clientName);
        while (handler is DelegatingHandler delegating)
        {
            chain.Add(delegating.GetType().Name);
            handler = delegating.InnerHandler;
        }

        return chain;
    }
}
