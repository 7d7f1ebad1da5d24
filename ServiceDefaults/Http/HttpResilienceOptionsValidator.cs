using Microsoft.Extensions.Options;

namespace FlinkBeam.ServiceDefaults.Http;

/// <summary>Reports each out-of-range value with the configuration key it came from.</summary>
internal sealed class HttpResilienceOptionsValidator(string sectionName) : IValidateOptions<HttpResilienceOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpResilienceOptions options)
    {
        var errors = options.Validate();
        return errors.Count == 0
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(errors.Select(error => $"{sectionName}:{error}"));
    }
}
