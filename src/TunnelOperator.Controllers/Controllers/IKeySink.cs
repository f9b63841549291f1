namespace TunnelOperator.Controllers.Controllers;

/// <summary>Where event handlers put keys: the controller's current work queue, if it is running.</summary>
internal interface IKeySink
{
    void Enqueue(ObjectKey key);
}
