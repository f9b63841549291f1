using Microsoft.AspNetCore.Http;
using TunnelOperator.ControlPlane.Api;
using TunnelOperator.ControlPlane.Auth;

namespace TunnelOperator.ControlPlane.Server;

internal sealed partial class ResourceHandler
{
    private async Task PatchAsync(HttpContext context, ResourceDefinition def, RequestInfo info, UserInfo user, Accept accept, CancellationToken ct)
    {
        var mediaType = RequestBody.MediaType(context);
        if (!Patches.Accepted(def).Contains(mediaType))
        {
            await Responses.WriteErrorAsync(context, ApiError.UnsupportedMediaType(mediaType, Patches.Accepted(def)));
            return;
        }

        var isApply = mediaType == Patches.ApplyPatchType;
        if (ParseWriteOptions(context, info.Subresource, isApply, out var options) is { } optionsError)
        {
            await Responses.WriteErrorAsync(context, optionsError);
            return;
        }

        var (text, readError) = await RequestBody.ReadTextAsync(context, _options.MaxRequestBodyBytes);
        if (readError is not null)
        {
            await Responses.WriteErrorAsync(context, readError);
            return;
        }

        var (patch, decodeError) = RequestBody.Decode(text!, isApply ? "application/yaml" : "application/json");
        if (decodeError is not null)
        {
            await Responses.WriteErrorAsync(context, decodeError);
            return;
        }

        if (info.Subresource == "scale")
        {
            var scaled = await ScaleSubresource.PatchAsync(_service, def, info.Namespace, info.Name, mediaType, patch, options, ct);
            if (scaled.Error is { } scaleError)
            {
                await Responses.WriteErrorAsync(context, scaleError);
                return;
            }

            await Responses.WriteJsonAsync(context, 200, ScaleSubresource.ToScale(def, scaled.Object!));
            return;
        }

        var outcome = await _service.PatchAsync(def, info.Namespace, info.Name, mediaType, patch, options, ct);
        await FinishWriteAsync(context, def, outcome, accept, successStatus: 200);
    }
}
