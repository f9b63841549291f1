namespace TunnelOperator.Kubernetes.Tests.Models;

/// <summary>
/// Objects as kube-apiserver writes them (shapes from the API reference and real
/// <c>kubectl get -o json</c> output), including nulls the server emits and fields our models
/// do not name, which must survive a round trip.
/// </summary>
internal static class Samples
{
    public const string Deployment = """
        {
          "kind": "Deployment",
          "apiVersion": "apps/v1",
          "metadata": {
            "name": "edge",
            "namespace": "tunnels",
            "uid": "7b0c2f0e-8d63-4f2f-9a3e-2f1f0e9d1c11",
            "resourceVersion": "48213",
            "generation": 3,
            "creationTimestamp": "2026-11-24T13:12:51Z",
            "labels": { "app.kubernetes.io/name": "edge", "app.kubernetes.io/managed-by": "tunneloperator" },
            "annotations": { "deployment.kubernetes.io/revision": "2" },
            "ownerReferences": [
              { "apiVersion": "tunneloperator.io/v1alpha1", "kind": "EdgeNode", "name": "edge", "uid": "0d6c7c0a-51d2-4d8e-b1b4-3c6f6b8f9e01", "controller": true, "blockOwnerDeletion": true }
            ],
            "managedFields": [
              { "manager": "tunneloperator", "operation": "Apply", "apiVersion": "apps/v1", "time": "2026-11-24T13:12:51Z", "fieldsType": "FieldsV1", "fieldsV1": { "f:spec": { "f:replicas": {} } } }
            ]
          },
          "spec": {
            "replicas": 2,
            "selector": { "matchLabels": { "app.kubernetes.io/name": "edge" } },
            "template": {
              "metadata": { "labels": { "app.kubernetes.io/name": "edge" } },
              "spec": {
                "containers": [
                  {
                    "name": "tunneld",
                    "image": "ghcr.io/tunneloperator/tunneld:0.1.0",
                    "args": ["edge", "--config", "/etc/tunneld/edge.yaml"],
                    "ports": [ { "name": "https", "containerPort": 8443, "protocol": "TCP" }, { "name": "udp-game", "containerPort": 27015, "protocol": "UDP" } ],
                    "env": [
                      { "name": "POD_NAME", "valueFrom": { "fieldRef": { "apiVersion": "v1", "fieldPath": "metadata.name" } } },
                      { "name": "STORE_PASSWORD", "valueFrom": { "secretKeyRef": { "name": "edge-store", "key": "password" } } }
                    ],
                    "envFrom": [ { "configMapRef": { "name": "edge-settings" } } ],
                    "resources": { "limits": { "memory": "256Mi" }, "requests": { "cpu": "100m", "memory": "128Mi" } },
                    "volumeMounts": [ { "name": "config", "mountPath": "/etc/tunneld", "readOnly": true } ],
                    "readinessProbe": { "httpGet": { "path": "/readyz", "port": "admin", "scheme": "HTTP" }, "periodSeconds": 5, "timeoutSeconds": 1, "successThreshold": 1, "failureThreshold": 3 },
                    "terminationMessagePath": "/dev/termination-log",
                    "terminationMessagePolicy": "File",
                    "imagePullPolicy": "IfNotPresent"
                  }
                ],
                "volumes": [ { "name": "config", "configMap": { "name": "edge-config", "defaultMode": 420 } } ],
                "restartPolicy": "Always",
                "terminationGracePeriodSeconds": 30,
                "dnsPolicy": "ClusterFirst",
                "serviceAccountName": "edge",
                "securityContext": { "runAsNonRoot": true },
                "affinity": { "podAntiAffinity": { "preferredDuringSchedulingIgnoredDuringExecution": [ { "weight": 100, "podAffinityTerm": { "topologyKey": "kubernetes.io/hostname", "labelSelector": { "matchLabels": { "app.kubernetes.io/name": "edge" } } } } ] } },
                "schedulerName": "default-scheduler"
              }
            },
            "strategy": { "type": "RollingUpdate", "rollingUpdate": { "maxUnavailable": "25%", "maxSurge": 1 } },
            "revisionHistoryLimit": 10,
            "progressDeadlineSeconds": 600
          },
          "status": {
            "observedGeneration": 3,
            "replicas": 2,
            "updatedReplicas": 2,
            "readyReplicas": 2,
            "availableReplicas": 2,
            "conditions": [
              { "type": "Available", "status": "True", "lastUpdateTime": "2026-11-24T13:13:05Z", "lastTransitionTime": "2026-11-24T13:13:05Z", "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability." },
              { "type": "Progressing", "status": "True", "lastUpdateTime": "2026-11-24T13:13:05Z", "lastTransitionTime": "2026-11-24T13:12:51Z", "reason": "NewReplicaSetAvailable", "message": "ReplicaSet \"edge-6d5f8b7c9d\" has successfully progressed." }
            ]
          }
        }
        """;

    public const string Service = """
        {
          "kind": "Service",
          "apiVersion": "v1",
          "metadata": { "name": "edge", "namespace": "tunnels", "uid": "f3b8f1de-1c2b-4a0e-8d8e-0c9f7d6a5b43", "resourceVersion": "48190", "creationTimestamp": "2026-11-24T13:12:51Z", "labels": { "app.kubernetes.io/name": "edge" } },
          "spec": {
            "ports": [
              { "name": "https", "protocol": "TCP", "port": 443, "targetPort": "https", "nodePort": 31443 },
              { "name": "agents", "protocol": "TCP", "port": 7000, "targetPort": 7000, "nodePort": 31700 },
              { "name": "udp-game", "protocol": "UDP", "port": 27015, "targetPort": 27015, "nodePort": 32015 }
            ],
            "selector": { "app.kubernetes.io/name": "edge" },
            "clusterIP": "10.96.120.7",
            "clusterIPs": ["10.96.120.7"],
            "type": "LoadBalancer",
            "sessionAffinity": "None",
            "externalTrafficPolicy": "Local",
            "healthCheckNodePort": 30912,
            "ipFamilies": ["IPv4"],
            "ipFamilyPolicy": "SingleStack",
            "allocateLoadBalancerNodePorts": true,
            "internalTrafficPolicy": "Cluster"
          },
          "status": { "loadBalancer": { "ingress": [ { "ip": "203.0.113.10", "ipMode": "VIP" }, { "hostname": "edge.example.net" } ] } }
        }
        """;

    public const string Secret = """
        {
          "kind": "Secret",
          "apiVersion": "v1",
          "metadata": { "name": "tenant-alice", "namespace": "tunnels", "uid": "0f0e0d0c-0b0a-4009-8887-868584838281", "resourceVersion": "50001", "creationTimestamp": "2026-11-24T13:12:51Z" },
          "data": { "token": "dG9rLWFiYzEyMw==", "ca.crt": "LS0tLS1CRUdJTg==" },
          "type": "Opaque"
        }
        """;

    public const string Event = """
        {
          "kind": "Event",
          "apiVersion": "v1",
          "metadata": { "name": "edge.18a2f3b4c5d6e7f8", "namespace": "tunnels", "uid": "6a5b4c3d-2e1f-4a0b-9c8d-7e6f5a4b3c2d", "resourceVersion": "48300", "creationTimestamp": "2026-11-24T13:14:02Z" },
          "involvedObject": { "kind": "EdgeNode", "namespace": "tunnels", "name": "edge", "uid": "0d6c7c0a-51d2-4d8e-b1b4-3c6f6b8f9e01", "apiVersion": "tunneloperator.io/v1alpha1", "resourceVersion": "48211" },
          "reason": "CertificateIssued",
          "message": "Issued a certificate for *.edge.example.net",
          "source": { "component": "tunneloperator" },
          "firstTimestamp": "2026-11-24T13:14:02Z",
          "lastTimestamp": "2026-11-24T13:20:41Z",
          "count": 3,
          "type": "Normal",
          "eventTime": null,
          "reportingComponent": "tunneloperator.io/operator",
          "reportingInstance": "tunneloperator-7c9d8f6b5-x2x4q"
        }
        """;

    public const string Lease = """
        {
          "kind": "Lease",
          "apiVersion": "coordination.k8s.io/v1",
          "metadata": { "name": "tunneloperator-leader", "namespace": "tunneloperator-system", "uid": "a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d", "resourceVersion": "48400", "creationTimestamp": "2026-11-24T13:00:00Z" },
          "spec": {
            "holderIdentity": "tunneloperator-7c9d8f6b5-x2x4q_5f1e2d3c",
            "leaseDurationSeconds": 15,
            "acquireTime": "2026-11-24T13:00:00.000000Z",
            "renewTime": "2026-11-24T13:21:07.123456Z",
            "leaseTransitions": 4
          }
        }
        """;

    public const string Pod = """
        {
          "kind": "Pod",
          "apiVersion": "v1",
          "metadata": { "name": "edge-6d5f8b7c9d-4kz2p", "generateName": "edge-6d5f8b7c9d-", "namespace": "tunnels", "uid": "9e8d7c6b-5a4f-4e3d-2c1b-0a9f8e7d6c5b", "resourceVersion": "48250", "creationTimestamp": "2026-11-24T13:12:52Z", "labels": { "app.kubernetes.io/name": "edge", "pod-template-hash": "6d5f8b7c9d" } },
          "spec": {
            "containers": [ { "name": "tunneld", "image": "ghcr.io/tunneloperator/tunneld:0.1.0", "ports": [ { "name": "https", "containerPort": 8443, "protocol": "TCP" } ], "resources": {} } ],
            "restartPolicy": "Always",
            "nodeName": "worker-1",
            "serviceAccountName": "edge",
            "tolerations": [ { "key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300 } ]
          },
          "status": {
            "phase": "Running",
            "conditions": [
              { "type": "Initialized", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2026-11-24T13:12:52Z" },
              { "type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2026-11-24T13:13:04Z" }
            ],
            "hostIP": "172.18.0.3",
            "podIP": "10.244.1.17",
            "podIPs": [ { "ip": "10.244.1.17" } ],
            "startTime": "2026-11-24T13:12:52Z",
            "containerStatuses": [
              { "name": "tunneld", "state": { "running": { "startedAt": "2026-11-24T13:12:58Z" } }, "lastState": { "terminated": { "exitCode": 137, "reason": "OOMKilled", "startedAt": "2026-11-24T13:12:53Z", "finishedAt": "2026-11-24T13:12:57Z", "containerID": "containerd://aa11" } }, "ready": true, "restartCount": 1, "image": "ghcr.io/tunneloperator/tunneld:0.1.0", "imageID": "ghcr.io/tunneloperator/tunneld@sha256:0123", "containerID": "containerd://bb22", "started": true }
            ],
            "qosClass": "Burstable"
          }
        }
        """;

    public const string ConflictStatus = """
        {
          "kind": "Status",
          "apiVersion": "v1",
          "metadata": {},
          "status": "Failure",
          "message": "Operation cannot be fulfilled on configmaps \"edge-settings\": the object has been modified; please apply your changes to the latest version and try again",
          "reason": "Conflict",
          "details": { "name": "edge-settings", "kind": "configmaps" },
          "code": 409
        }
        """;

    public const string ApplyConflictStatus = """
        {
          "kind": "Status",
          "apiVersion": "v1",
          "metadata": {},
          "status": "Failure",
          "message": "Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1: .spec.replicas",
          "reason": "Conflict",
          "details": { "causes": [ { "reason": "FieldManagerConflict", "message": "conflict with \"kubectl-edit\" using apps/v1", "field": ".spec.replicas" } ] },
          "code": 409
        }
        """;

    public const string InvalidStatus = """
        {
          "kind": "Status",
          "apiVersion": "v1",
          "metadata": {},
          "status": "Failure",
          "message": "Service \"edge\" is invalid: [spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive, spec.ports[1].name: Duplicate value: \"https\"]",
          "reason": "Invalid",
          "details": {
            "name": "edge",
            "kind": "Service",
            "causes": [
              { "reason": "FieldValueInvalid", "message": "Invalid value: 0: must be between 1 and 65535, inclusive", "field": "spec.ports[0].port" },
              { "reason": "FieldValueDuplicate", "message": "Duplicate value: \"https\"", "field": "spec.ports[1].name" }
            ]
          },
          "code": 422
        }
        """;

    public const string CustomResourceDefinition = """
        {
          "kind": "CustomResourceDefinition",
          "apiVersion": "apiextensions.k8s.io/v1",
          "metadata": { "name": "tunnels.tunneloperator.io", "uid": "c0ffee00-1111-4222-8333-444455556666", "resourceVersion": "1200", "generation": 1, "creationTimestamp": "2026-11-24T12:00:00Z" },
          "spec": {
            "group": "tunneloperator.io",
            "names": { "plural": "tunnels", "singular": "tunnel", "kind": "Tunnel", "listKind": "TunnelList", "shortNames": ["tun"], "categories": ["tunneloperator"] },
            "scope": "Namespaced",
            "versions": [
              {
                "name": "v1alpha1",
                "served": true,
                "storage": true,
                "schema": { "openAPIV3Schema": { "type": "object", "properties": { "spec": { "type": "object", "required": ["edgeRef"], "properties": { "edgeRef": { "type": "object", "properties": { "name": { "type": "string" } } } } }, "status": { "type": "object", "x-kubernetes-preserve-unknown-fields": true } } } },
                "subresources": { "status": {} },
                "additionalPrinterColumns": [ { "name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status" } ]
              }
            ],
            "conversion": { "strategy": "None" }
          },
          "status": {
            "conditions": [
              { "type": "NamesAccepted", "status": "True", "lastTransitionTime": "2026-11-24T12:00:00Z", "reason": "NoConflicts", "message": "no conflicts found" },
              { "type": "Established", "status": "True", "lastTransitionTime": "2026-11-24T12:00:00Z", "reason": "InitialNamesAccepted", "message": "the initial names have been accepted" }
            ],
            "acceptedNames": { "plural": "tunnels", "singular": "tunnel", "kind": "Tunnel", "listKind": "TunnelList", "shortNames": ["tun"], "categories": ["tunneloperator"] },
            "storedVersions": ["v1alpha1"]
          }
        }
        """;
}
