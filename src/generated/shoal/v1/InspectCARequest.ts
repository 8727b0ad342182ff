// Original file: proto/shoal/v1/ca.proto


export interface InspectCARequest {
}

export interface InspectCARequest__Output {
}
