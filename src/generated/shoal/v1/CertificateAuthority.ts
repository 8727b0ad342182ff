// Original file: proto/shoal/v1/ca.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { CertificateResponse as _shoal_v1_CertificateResponse, CertificateResponse__Output as _shoal_v1_CertificateResponse__Output } from '../../shoal/v1/CertificateResponse.js';
import type { InspectCARequest as _shoal_v1_InspectCARequest, InspectCARequest__Output as _shoal_v1_InspectCARequest__Output } from '../../shoal/v1/InspectCARequest.js';
import type { InspectCAResponse as _shoal_v1_InspectCAResponse, InspectCAResponse__Output as _shoal_v1_InspectCAResponse__Output } from '../../shoal/v1/InspectCAResponse.js';
import type { IssueClientCertificateRequest as _shoal_v1_IssueClientCertificateRequest, IssueClientCertificateRequest__Output as _shoal_v1_IssueClientCertificateRequest__Output } from '../../shoal/v1/IssueClientCertificateRequest.js';
import type { RenewNodeCertificateRequest as _shoal_v1_RenewNodeCertificateRequest, RenewNodeCertificateRequest__Output as _shoal_v1_RenewNodeCertificateRequest__Output } from '../../shoal/v1/RenewNodeCertificateRequest.js';
import type { RotateCARequest as _shoal_v1_RotateCARequest, RotateCARequest__Output as _shoal_v1_RotateCARequest__Output } from '../../shoal/v1/RotateCARequest.js';
import type { RotateCAResponse as _shoal_v1_RotateCAResponse, RotateCAResponse__Output as _shoal_v1_RotateCAResponse__Output } from '../../shoal/v1/RotateCAResponse.js';

export interface CertificateAuthorityClient extends grpc.Client {
  /**
   * The root certificate, its digest and expiry, and the deny list's size.
   */
  InspectCA(argument: _shoal_v1_InspectCARequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InspectCAResponse__Output>): grpc.ClientUnaryCall;
  InspectCA(argument: _shoal_v1_InspectCARequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_InspectCAResponse__Output>): grpc.ClientUnaryCall;
  InspectCA(argument: _shoal_v1_InspectCARequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InspectCAResponse__Output>): grpc.ClientUnaryCall;
  InspectCA(argument: _shoal_v1_InspectCARequest, callback: grpc.requestCallback<_shoal_v1_InspectCAResponse__Output>): grpc.ClientUnaryCall;
  /**
   * The root certificate, its digest and expiry, and the deny list's size.
   */
  inspectCa(argument: _shoal_v1_InspectCARequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InspectCAResponse__Output>): grpc.ClientUnaryCall;
  inspectCa(argument: _shoal_v1_InspectCARequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_InspectCAResponse__Output>): grpc.ClientUnaryCall;
  inspectCa(argument: _shoal_v1_InspectCARequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_InspectCAResponse__Output>): grpc.ClientUnaryCall;
  inspectCa(argument: _shoal_v1_InspectCARequest, callback: grpc.requestCallback<_shoal_v1_InspectCAResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A certificate with role "admin" (Control and Watch) for a remote client.
   */
  IssueClientCertificate(argument: _shoal_v1_IssueClientCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  IssueClientCertificate(argument: _shoal_v1_IssueClientCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  IssueClientCertificate(argument: _shoal_v1_IssueClientCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  IssueClientCertificate(argument: _shoal_v1_IssueClientCertificateRequest, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A certificate with role "admin" (Control and Watch) for a remote client.
   */
  issueClientCertificate(argument: _shoal_v1_IssueClientCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  issueClientCertificate(argument: _shoal_v1_IssueClientCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  issueClientCertificate(argument: _shoal_v1_IssueClientCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  issueClientCertificate(argument: _shoal_v1_IssueClientCertificateRequest, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * A new certificate for the calling node (CN from its verified certificate,
   * role from the cluster's record of the node). With `token` and `node_id`
   * instead of a certificate: for a node whose certificate expired; a worker
   * token only renews workers. UNAUTHENTICATED without either,
   * PERMISSION_DENIED for a removed node.
   */
  RenewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  RenewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  RenewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  RenewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  /**
   * A new certificate for the calling node (CN from its verified certificate,
   * role from the cluster's record of the node). With `token` and `node_id`
   * instead of a certificate: for a node whose certificate expired; a worker
   * token only renews workers. UNAUTHENTICATED without either,
   * PERMISSION_DENIED for a removed node.
   */
  renewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  renewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  renewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  renewNodeCertificate(argument: _shoal_v1_RenewNodeCertificateRequest, callback: grpc.requestCallback<_shoal_v1_CertificateResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Starts a rotation to a new root (`shoal ca rotate`): the new root is
   * cross-signed by the old one, every node is reissued from the new root,
   * and once all hold such a certificate the old root is dropped and the join
   * tokens change digest. FAILED_PRECONDITION while a rotation is in progress,
   * unless `force` is set: then the new root replaces the rotation's (every
   * node is reissued again; certificates from the abandoned root stay valid
   * through the old root's cross-signature until the new rotation completes).
   * With `ca_cert_pem`/`ca_key_pem`, the new root is the caller's instead of a
   * generated one (INVALID_ARGUMENT naming the problem if it does not qualify).
   */
  RotateCA(argument: _shoal_v1_RotateCARequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RotateCAResponse__Output>): grpc.ClientUnaryCall;
  RotateCA(argument: _shoal_v1_RotateCARequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RotateCAResponse__Output>): grpc.ClientUnaryCall;
  RotateCA(argument: _shoal_v1_RotateCARequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RotateCAResponse__Output>): grpc.ClientUnaryCall;
  RotateCA(argument: _shoal_v1_RotateCARequest, callback: grpc.requestCallback<_shoal_v1_RotateCAResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Starts a rotation to a new root (`shoal ca rotate`): the new root is
   * cross-signed by the old one, every node is reissued from the new root,
   * and once all hold such a certificate the old root is dropped and the join
   * tokens change digest. FAILED_PRECONDITION while a rotation is in progress,
   * unless `force` is set: then the new root replaces the rotation's (every
   * node is reissued again; certificates from the abandoned root stay valid
   * through the old root's cross-signature until the new rotation completes).
   * With `ca_cert_pem`/`ca_key_pem`, the new root is the caller's instead of a
   * generated one (INVALID_ARGUMENT naming the problem if it does not qualify).
   */
  rotateCa(argument: _shoal_v1_RotateCARequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RotateCAResponse__Output>): grpc.ClientUnaryCall;
  rotateCa(argument: _shoal_v1_RotateCARequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_shoal_v1_RotateCAResponse__Output>): grpc.ClientUnaryCall;
  rotateCa(argument: _shoal_v1_RotateCARequest, options: grpc.CallOptions, callback: grpc.requestCallback<_shoal_v1_RotateCAResponse__Output>): grpc.ClientUnaryCall;
  rotateCa(argument: _shoal_v1_RotateCARequest, callback: grpc.requestCallback<_shoal_v1_RotateCAResponse__Output>): grpc.ClientUnaryCall;
  
}

export interface CertificateAuthorityHandlers extends grpc.UntypedServiceImplementation {
  /**
   * The root certificate, its digest and expiry, and the deny list's size.
   */
  InspectCA: grpc.handleUnaryCall<_shoal_v1_InspectCARequest__Output, _shoal_v1_InspectCAResponse>;
  
  /**
   * A certificate with role "admin" (Control and Watch) for a remote client.
   */
  IssueClientCertificate: grpc.handleUnaryCall<_shoal_v1_IssueClientCertificateRequest__Output, _shoal_v1_CertificateResponse>;
  
  /**
   * A new certificate for the calling node (CN from its verified certificate,
   * role from the cluster's record of the node). With `token` and `node_id`
   * instead of a certificate: for a node whose certificate expired; a worker
   * token only renews workers. UNAUTHENTICATED without either,
   * PERMISSION_DENIED for a removed node.
   */
  RenewNodeCertificate: grpc.handleUnaryCall<_shoal_v1_RenewNodeCertificateRequest__Output, _shoal_v1_CertificateResponse>;
  
  /**
   * Starts a rotation to a new root (`shoal ca rotate`): the new root is
   * cross-signed by the old one, every node is reissued from the new root,
   * and once all hold such a certificate the old root is dropped and the join
   * tokens change digest. FAILED_PRECONDITION while a rotation is in progress,
   * unless `force` is set: then the new root replaces the rotation's (every
   * node is reissued again; certificates from the abandoned root stay valid
   * through the old root's cross-signature until the new rotation completes).
   * With `ca_cert_pem`/`ca_key_pem`, the new root is the caller's instead of a
   * generated one (INVALID_ARGUMENT naming the problem if it does not qualify).
   */
  RotateCA: grpc.handleUnaryCall<_shoal_v1_RotateCARequest__Output, _shoal_v1_RotateCAResponse>;
  
}

export interface CertificateAuthorityDefinition extends grpc.ServiceDefinition {
  InspectCA: MethodDefinition<_shoal_v1_InspectCARequest, _shoal_v1_InspectCAResponse, _shoal_v1_InspectCARequest__Output, _shoal_v1_InspectCAResponse__Output>
  IssueClientCertificate: MethodDefinition<_shoal_v1_IssueClientCertificateRequest, _shoal_v1_CertificateResponse, _shoal_v1_IssueClientCertificateRequest__Output, _shoal_v1_CertificateResponse__Output>
  RenewNodeCertificate: MethodDefinition<_shoal_v1_RenewNodeCertificateRequest, _shoal_v1_CertificateResponse, _shoal_v1_RenewNodeCertificateRequest__Output, _shoal_v1_CertificateResponse__Output>
  RotateCA: MethodDefinition<_shoal_v1_RotateCARequest, _shoal_v1_RotateCAResponse, _shoal_v1_RotateCARequest__Output, _shoal_v1_RotateCAResponse__Output>
}
