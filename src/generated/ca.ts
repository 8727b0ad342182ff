import type * as grpc from '@grpc/grpc-js';
import type { MessageTypeDefinition } from '@grpc/proto-loader';

import type { CertificateAuthorityClient as _shoal_v1_CertificateAuthorityClient, CertificateAuthorityDefinition as _shoal_v1_CertificateAuthorityDefinition } from './shoal/v1/CertificateAuthority.js';
import type { CertificateResponse as _shoal_v1_CertificateResponse, CertificateResponse__Output as _shoal_v1_CertificateResponse__Output } from './shoal/v1/CertificateResponse.js';
import type { InspectCARequest as _shoal_v1_InspectCARequest, InspectCARequest__Output as _shoal_v1_InspectCARequest__Output } from './shoal/v1/InspectCARequest.js';
import type { InspectCAResponse as _shoal_v1_InspectCAResponse, InspectCAResponse__Output as _shoal_v1_InspectCAResponse__Output } from './shoal/v1/InspectCAResponse.js';
import type { IssueClientCertificateRequest as _shoal_v1_IssueClientCertificateRequest, IssueClientCertificateRequest__Output as _shoal_v1_IssueClientCertificateRequest__Output } from './shoal/v1/IssueClientCertificateRequest.js';
import type { RenewNodeCertificateRequest as _shoal_v1_RenewNodeCertificateRequest, RenewNodeCertificateRequest__Output as _shoal_v1_RenewNodeCertificateRequest__Output } from './shoal/v1/RenewNodeCertificateRequest.js';
import type { RotateCARequest as _shoal_v1_RotateCARequest, RotateCARequest__Output as _shoal_v1_RotateCARequest__Output } from './shoal/v1/RotateCARequest.js';
import type { RotateCAResponse as _shoal_v1_RotateCAResponse, RotateCAResponse__Output as _shoal_v1_RotateCAResponse__Output } from './shoal/v1/RotateCAResponse.js';

type SubtypeConstructor<Constructor extends new (...args: any) => any, Subtype> = {
  new(...args: ConstructorParameters<Constructor>): Subtype;
};

export interface ProtoGrpcType {
  shoal: {
    v1: {
      CertificateAuthority: SubtypeConstructor<typeof grpc.Client, _shoal_v1_CertificateAuthorityClient> & { service: _shoal_v1_CertificateAuthorityDefinition }
      CertificateResponse: MessageTypeDefinition<_shoal_v1_CertificateResponse, _shoal_v1_CertificateResponse__Output>
      InspectCARequest: MessageTypeDefinition<_shoal_v1_InspectCARequest, _shoal_v1_InspectCARequest__Output>
      InspectCAResponse: MessageTypeDefinition<_shoal_v1_InspectCAResponse, _shoal_v1_InspectCAResponse__Output>
      IssueClientCertificateRequest: MessageTypeDefinition<_shoal_v1_IssueClientCertificateRequest, _shoal_v1_IssueClientCertificateRequest__Output>
      RenewNodeCertificateRequest: MessageTypeDefinition<_shoal_v1_RenewNodeCertificateRequest, _shoal_v1_RenewNodeCertificateRequest__Output>
      RotateCARequest: MessageTypeDefinition<_shoal_v1_RotateCARequest, _shoal_v1_RotateCARequest__Output>
      RotateCAResponse: MessageTypeDefinition<_shoal_v1_RotateCAResponse, _shoal_v1_RotateCAResponse__Output>
    }
  }
}

